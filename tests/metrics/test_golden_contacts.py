"""Golden tests of the contact metrics (repeat_contact_metrics, ticket_service_levels,
service_standard_attainment) on the handwritten fixture (tests/fixtures/metrics/README.md).
as_of_date 2026-03-31: the repeat window ends 2026-04-01 00:00, so tickets created at or after
2026-03-25 00:00 are immature."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def cell(golden, period: str, dimension: str, value: str) -> dict:
    return golden.one(
        "select * from metrics.repeat_contact_metrics where period = ? and dimension = ? "
        "and dimension_value = ?",
        [period, dimension, value],
    )


def test_repeat_window_boundary_at_exactly_seven_days(golden):
    # T1 2026-03-01 09:00:00, T2 2026-03-08 09:00:00: exactly 7 * 24 h later -> repeat
    # T3 2026-03-15 09:00:01: 7 * 24 h + 1 s after T2 -> no repeat, a new episode
    flags = {
        r["ticket_id"]: r
        for r in golden.rows(
            "select ticket_id, is_repeat_contact, episode_id from marts.tickets "
            "where ticket_id in ('T1', 'T2', 'T3')"
        )
    }
    assert [flags[t]["is_repeat_contact"] for t in ("T1", "T2", "T3")] == [False, True, False]
    assert flags["T1"]["episode_id"] == flags["T2"]["episode_id"] != flags["T3"]["episode_id"]
    # billing: 3 tickets, 1 repeat -> 33.3 %; episodes {T1, T2}, {T3} -> 3 / 2 = 1.5 contacts
    # solved episodes: both (T2 and T3 solved); FCR: only {T3} -> 50 %
    billing = cell(golden, "all", "category", "billing")
    assert (billing["tickets"], billing["repeat_contact_tickets"]) == (3, 1)
    assert billing["repeat_contact_rate"] == pytest.approx(100 / 3)
    assert (billing["episodes"], billing["contacts_per_episode"]) == (2, 1.5)
    assert (billing["solved_episodes"], billing["fcr_episodes"], billing["fcr_rate"]) == (
        2,
        1,
        50.0,
    )


def test_overall_repeat_contact_figures(golden):
    # tickets T1..T13 = 13; repeats T2 (of T1), T5 (T4), T6 (T5), T11 (T9) = 4
    #   repeat_contact_rate = 100 * 4 / 13 = 30.769
    # episodes {T1,T2} {T3} {T4,T5,T6} {T7} {T8} {T9,T11} {T10} {T12} {T13} = 9
    #   contacts_per_episode = 13 / 9 = 1.444
    # solved episodes (last ticket solved): {T1,T2} {T3} {T7} {T8} {T10} {T12} = 6
    #   ({T4..T6}: T6 open; {T9,T11}: open; {T13}: new)
    # FCR (one ticket, never reopened, solved): {T3} {T7} {T10} = 3 ({T8}, {T12} reopened)
    #   fcr_rate = 100 * 3 / 6 = 50
    # solved tickets: T1 T2 T3 T4 T5 T7 T8 T10 T12 = 9; one agent reply: T1 T3 T4 T5 T7 T10
    #   = 6 (T2, T8, T12 have two) -> one_touch_rate = 100 * 6 / 9 = 66.667
    # at risk: {T4,T5,T6} (3 tickets >= 3) -> 1 person (a2), 1 account (A2)
    row = cell(golden, "all", "overall", "all")
    assert (row["tickets"], row["repeat_contact_tickets"]) == (13, 4)
    assert row["repeat_contact_rate"] == pytest.approx(400 / 13)
    assert (row["episodes"], row["episode_tickets"]) == (9, 13)
    assert row["contacts_per_episode"] == pytest.approx(13 / 9)
    assert (row["solved_episodes"], row["fcr_episodes"], row["fcr_rate"]) == (6, 3, 50.0)
    assert (row["solved_tickets"], row["one_touch_tickets"]) == (9, 6)
    assert row["one_touch_rate"] == pytest.approx(200 / 3)
    assert (row["at_risk_episodes"], row["people_at_risk"], row["accounts_at_risk"]) == (1, 1, 1)


def test_medians_of_first_reply_and_resolution(golden):
    # first reply minutes (tickets with an agent reply): T1 30, T2 90, T3 10, T4 60, T5 180,
    #   T6 20, T7 5, T8 240, T10 30, T12 45 -> sorted 5 10 20 30 30 | 45 60 90 180 240
    #   median = (30 + 45) / 2 = 37.5  (T9, T11, T13: no reply, left out)
    # resolution hours (solved tickets): T1 11, T2 24, T3 48, T4 8, T5 24, T7 1, T8 72,
    #   T10 2, T12 26 -> sorted 1 2 8 11 24 24 26 48 72 -> median 24
    row = cell(golden, "all", "overall", "all")
    assert row["median_first_reply_minutes"] == pytest.approx(37.5)
    assert row["median_resolution_hours"] == pytest.approx(24.0)


def test_maturity_flag_per_period(golden):
    # immature: T10 (03-28 10:00) and T13 (03-31 20:00), created after 03-25 00:00
    march = cell(golden, "2026-03", "overall", "all")
    assert (march["immature_tickets"], march["has_immature_tickets"]) == (2, True)
    # February: T4, T5, T6, T8, all mature -> final figures
    feb = cell(golden, "2026-02", "overall", "all")
    assert (feb["immature_tickets"], feb["has_immature_tickets"]) == (0, False)
    # Feb: 4 tickets, repeats T5, T6 -> 50 %; episodes {T4,T5,T6} {T8} -> 4 / 2 = 2.0
    #   solved episodes: {T8} only; FCR none (reopened) -> 0 %; at risk 1
    #   first replies 60, 180, 20, 240 -> median (60 + 180) / 2 = 120
    assert (feb["tickets"], feb["repeat_contact_rate"], feb["contacts_per_episode"]) == (
        4,
        50.0,
        2.0,
    )
    assert (feb["solved_episodes"], feb["fcr_rate"], feb["people_at_risk"]) == (1, 0.0, 1)
    assert feb["median_first_reply_minutes"] == pytest.approx(120.0)


def test_unmatched_email_is_one_person_and_counted(golden):
    # "Stranger@Else.test " (T9) and "stranger@else.test" (T11) normalise to one person with
    # no CRM contact: T11 repeats T9 (2 days later) -> one episode of 2 tickets, tier unmatched
    row = cell(golden, "all", "tier", "unmatched")
    assert (row["tickets"], row["repeat_contact_tickets"], row["episodes"]) == (2, 1, 1)
    assert row["fcr_rate"] is None  # no solved episode: an empty rate, not 0
    assert row["accounts_at_risk"] == 0
    # invoice_dispute: the only episode is unsolved -> NULL fcr_rate
    assert cell(golden, "all", "category", "invoice_dispute")["fcr_rate"] is None


def test_ticket_service_levels(golden):
    # targets (minutes / hours): strategic 60 / 24, key 120 / 48, core 240 / 72,
    # basic 480 / 120, floor 480 / 120 (unmatched requesters are held to the floor)
    statuses = {
        r["ticket_id"]: (r["first_reply_status"], r["resolution_status"], r["standard_status"])
        for r in golden.rows("select * from metrics.ticket_service_levels")
    }
    assert statuses == {
        "T1": ("met", "met", "met"),  # strategic: 30 <= 60, 11 <= 24
        "T2": ("missed", "met", "missed"),  # 90 > 60, 24 <= 24
        "T3": ("met", "missed", "missed"),  # 10 <= 60, 48 > 24
        "T4": ("met", "met", "met"),  # key: 60 <= 120, 8 <= 48
        "T5": ("missed", "met", "missed"),  # 180 > 120, 24 <= 48
        # replied in 20, unsolved since 02-05 10:00: 1,310 h open at 04-01 00:00 > 48
        "T6": ("met", "missed", "missed"),
        "T7": ("met", "met", "met"),  # core: 5, 1
        "T8": ("met", "met", "met"),  # core: 240 <= 240 and 72 <= 72 (targets are inclusive)
        "T12": ("met", "met", "met"),  # core: 45, 26
        "T9": ("missed", "missed", "missed"),  # unmatched: no reply for 518 h > 480 min
        "T11": ("missed", "missed", "missed"),  # no reply for 470 h
        "T10": ("met", "met", "met"),  # basic: 30, 2
        # basic: created 03-31 20:00, no reply after 240 minutes < 480: not yet due
        "T13": ("pending", "pending", "pending"),
    }


def test_service_standard_attainment(golden):
    rows = {r["tier"]: r for r in golden.rows("select * from metrics.service_standard_attainment")}
    assert set(rows) == {"strategic", "key", "core", "basic", "unmatched", "all"}
    # strategic T1 T2 T3: first reply met 2 / 3, resolution met 2 / 3, standard 1 / 3
    #   against the floor (480 / 120) all three meet both -> 100 %
    strategic = rows["strategic"]
    assert strategic["tickets"] == 3
    assert strategic["first_reply_met_rate"] == pytest.approx(200 / 3)
    assert strategic["resolution_met_rate"] == pytest.approx(200 / 3)
    assert strategic["standard_met_rate"] == pytest.approx(100 / 3)
    assert strategic["standard_floor_met_rate"] == 100.0
    # key T4 T5 T6: standard met by T4 only -> 1 / 3; floor: T6 unsolved 1,310 h > 120 -> 2 / 3
    assert rows["key"]["standard_met_rate"] == pytest.approx(100 / 3)
    assert rows["key"]["standard_floor_met_rate"] == pytest.approx(200 / 3)
    assert rows["core"]["standard_met_rate"] == 100.0
    # basic: T10 met, T13 pending (left out) -> 1 measured, 1 met
    basic = rows["basic"]
    assert (basic["tickets"], basic["standard_measured"], basic["standard_met_rate"]) == (
        2,
        1,
        100.0,
    )
    assert (rows["unmatched"]["first_reply_target_minutes"], rows["unmatched"]["tickets"]) == (
        480,
        2,
    )
    assert rows["unmatched"]["standard_met_rate"] == 0.0
    # all: measured 3 + 3 + 3 + 1 + 2 = 12, met 1 + 1 + 3 + 1 + 0 = 6 -> 50 %
    assert (rows["all"]["tickets"], rows["all"]["standard_measured"]) == (13, 12)
    assert rows["all"]["standard_met_rate"] == 50.0

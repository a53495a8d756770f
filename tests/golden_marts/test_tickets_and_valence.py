"""Golden figures of tickets, episodes and their rates, and of the valence of survey
responses, invoices and touchpoint events (see __init__.py)."""

from __future__ import annotations

import pytest

from tests.golden_marts.reading import (
    fetch_rows,
    rows_by_key,
)

pytestmark = pytest.mark.slow


# --------------------------------------------------------------------------------- tickets
def test_ticket_episodes_and_repeats(golden):
    expected = {
        # jo, billing: T01 -> T02 gap exactly 7 d (repeat); T02 -> T03 gap 7 d + 1 s (new
        # episode); T04 (+23:59:59) and T05 (+24 h) repeat T03
        "T01": ("episode:T01", 1, False),
        "T02": ("episode:T01", 2, True),
        "T03": ("episode:T03", 1, False),
        "T04": ("episode:T03", 2, True),
        "T05": ("episode:T03", 3, True),
        # jo, how_to: another category, its own episode although 1 day after T01
        "T06": ("episode:T06", 1, False),
        "T07": ("episode:T07", 1, False),
        "T08": ("episode:T08", 1, False),
        "T09": ("episode:T09", 1, False),
        "T10": ("episode:T10", 1, False),
        # unmatched nobody@else.test: T12 (any case) 4 days after T11 repeats it
        "T11": ("episode:T11", 1, False),
        "T12": ("episode:T11", 2, True),
        "T13": ("episode:T13", 1, False),
        "T14": ("episode:T14", 1, False),
        # mo, product_defect: T15 and T16 at the same instant; T15 first by ticket_id
        "T15": ("episode:T15", 1, False),
        "T16": ("episode:T15", 2, True),
        "T17": ("episode:T17", 1, False),
        "T18": ("episode:T18", 1, False),
    }
    actual = rows_by_key(
        golden,
        "marts.tickets",
        "ticket_id",
        ["episode_id", "episode_ticket_number", "is_repeat_contact"],
    )
    assert actual == expected


def test_ticket_timings_one_touch_and_valence(golden):
    # (is_solved, is_reopened, first_reply_minutes, resolution_hours, agent_public_replies,
    #  is_one_touch, is_mature, valence)
    expected = {
        # 09:00 -> reply 09:30 = 30 min; solved 11:00 = 2 h; 1 agent reply, solved: one-touch
        "T01": (True, False, 30.0, 2.0, 1, True, True, "neutral"),
        # the customer's public reply 09:10 does not count; agent 09:20 = 20 min; 1.5 h;
        # a repeat contact: negative
        "T02": (True, False, 20.0, 1.5, 1, True, True, "negative"),
        # 09:00:01 -> 10:00:01 = 60 min; 12:00:01 = 3 h; two agent replies: not one-touch
        "T03": (True, False, 60.0, 3.0, 2, False, True, "neutral"),
        # closed counts as solved; 15 min; 1 h; repeat: negative
        "T04": (True, False, 15.0, 1.0, 1, True, True, "negative"),
        # pending: not solved, no resolution, not one-touch; repeat: negative
        "T05": (False, False, 5.0, None, 1, False, True, "negative"),
        "T06": (True, False, 45.0, 0.75, 1, True, True, "neutral"),
        # 08:00 -> 09:00 = 60 min; 24 h; two agent replies
        "T07": (True, False, 60.0, 24.0, 2, False, True, "neutral"),
        # reopened (negative); one agent reply and solved again: one-touch by the definition;
        # 2026-04-05 08:00 -> 2026-04-07 20:00 = 60 h
        "T08": (True, True, 30.0, 60.0, 1, True, True, "negative"),
        # open; 08:00:00 -> 08:12:30 = 12.5 min
        "T09": (False, False, 12.5, None, 1, False, True, "neutral"),
        # 10:00 -> 10:07:30 = 7.5 min; 16:00 = 6 h
        "T10": (True, False, 7.5, 6.0, 1, True, True, "neutral"),
        # no agent reply at all (T12 only has the customer's)
        "T11": (False, False, None, None, 0, False, True, "neutral"),
        "T12": (False, False, None, None, 0, False, True, "negative"),
        # created 2026-06-23 23:59:59, one second before the cut-off: mature; 30 min; 1 h
        "T13": (True, False, 30.0, 1.0, 1, True, True, "neutral"),
        # created 2026-06-24 00:00:00, exactly the cut-off: not mature
        "T14": (False, False, None, None, 0, False, False, "neutral"),
        "T15": (True, False, 60.0, 24.0, 1, True, True, "neutral"),
        # repeat of T15: negative; 30 min; 10:00 -> 18:00 = 8 h
        "T16": (True, False, 30.0, 8.0, 1, True, True, "negative"),
        "T17": (True, False, 10.0, 1.0, 1, True, True, "neutral"),
        "T18": (True, False, 20.0, 1.0, 1, True, True, "neutral"),
    }
    actual = rows_by_key(
        golden,
        "marts.tickets",
        "ticket_id",
        [
            "is_solved",
            "is_reopened",
            "first_reply_minutes",
            "resolution_hours",
            "agent_public_replies",
            "is_one_touch",
            "is_mature",
            "valence",
        ],
    )
    assert actual == expected


def test_ticket_rates(golden):
    row = fetch_rows(
        golden,
        """
        select count(*) as tickets,
               sum(case when is_solved then 1 else 0 end) as solved,
               sum(case when is_one_touch then 1 else 0 end) as one_touch,
               sum(case when is_repeat_contact then 1 else 0 end) as repeats
        from marts.tickets
        """,
    )[0]
    # solved: T01-04, T06-08, T10, T13, T15-18 = 13; one-touch: those less T03 and T07 = 11
    # repeats: T02, T04, T05, T12, T16 = 5 -> repeat_contact_rate = 100 * 5 / 18
    assert row == {"tickets": 18, "solved": 13, "one_touch": 11, "repeats": 5}


def test_contact_episodes_fcr_and_risk(golden):
    # (tickets, is_solved, is_reopened, is_fcr, is_at_risk, is_mature)
    expected = {
        "episode:T01": (2, True, False, False, False, True),  # two tickets: no FCR
        "episode:T03": (3, False, False, False, True, True),  # 3 tickets: at risk; T05 pending
        "episode:T06": (1, True, False, True, False, True),
        "episode:T07": (1, True, False, True, False, True),  # two replies, still FCR
        "episode:T08": (1, True, True, False, False, True),  # reopened: no FCR
        "episode:T09": (1, False, False, False, False, True),  # open
        "episode:T10": (1, True, False, True, False, True),  # closed counts as solved
        "episode:T11": (2, False, False, False, False, True),
        "episode:T13": (1, True, False, True, False, True),
        "episode:T14": (1, False, False, False, False, False),  # created at the cut-off
        "episode:T15": (2, True, False, False, False, True),
        "episode:T17": (1, True, False, True, False, True),
        "episode:T18": (1, True, False, True, False, True),
    }
    actual = rows_by_key(
        golden,
        "marts.contact_episodes",
        "episode_id",
        ["tickets", "is_solved", "is_reopened", "is_fcr", "is_at_risk", "is_mature"],
    )
    assert actual == expected
    # fcr_rate = 100 * 6 FCR episodes / 9 solved episodes; contacts_per_episode = 18 / 13
    totals = fetch_rows(
        golden,
        """
        select sum(case when is_fcr then 1 else 0 end) as fcr,
               sum(case when is_solved then 1 else 0 end) as solved,
               sum(tickets) as tickets, count(*) as episodes
        from marts.contact_episodes
        """,
    )[0]
    assert totals == {"fcr": 6, "solved": 9, "tickets": 18, "episodes": 13}


# ---------------------------------------------------------------------------- valence
def test_survey_response_scores_and_valence(golden):
    # (nps, csat, ces, valence, touchpoint_code)
    expected = {
        "R01": (10, None, None, "positive", "relationship"),
        "R02": (4, None, None, "negative", "relationship"),
        "R03": (6, None, None, "negative", "relationship"),  # 6 is a detractor score
        # ces 8 is off its 1-7 scale: quarantined, so csat 5 alone decides
        "R04": (None, 5, None, "positive", "support"),
        "R05": (None, 2, 6, "negative", "support"),  # csat before ces
        # the 4.5 answer is quarantined (not a whole number)
        "R06": (None, 4, None, "positive", "product_use"),
        "R07": (2, None, None, "negative", "relationship"),
        "R08": (8, None, None, "neutral", "relationship"),
        "R09": (None, None, 4, "neutral", "support"),
        "R10": (10, None, None, "positive", "relationship"),
        "R11": (None, 1, 7, "negative", "support"),  # csat 1 beats ces 7
        "R12": (None, 3, None, "neutral", "product_use"),
        "R13": (None, None, 2, "negative", "support"),
        "R14": (7, None, None, "neutral", "relationship"),
        "R15": (None, None, 3, "negative", "purchase"),  # ces 3 is the negative boundary
        "R16": (9, None, None, "positive", "relationship"),  # 9 is the promoter boundary
        "R17": (None, None, 6, "positive", "support"),  # ces 6 is the positive boundary
        "R18": (None, None, None, "neutral", "support"),  # a comment only
    }
    actual = rows_by_key(
        golden,
        "marts.survey_responses",
        "response_id",
        ["nps_value", "csat_value", "ces_value", "valence", "touchpoint_code"],
    )
    assert actual == expected


def test_invoice_ageing_and_valence(golden):
    # (is_paid_as_of_date, days_overdue, is_unpaid_overdue, valence)
    expected = {
        "V01": (True, 0, False, "neutral"),  # paid 2025-09-20
        "V02": (True, 0, False, "negative"),  # paid, but disputed
        # due 2026-05-30 -> 2026-06-30 = 1 + 30 = 31 days > 30
        "V03": (False, 31, True, "negative"),
        # due 2026-05-31 -> 2026-06-30 = 30 days: not yet an irritation
        "V04": (False, 30, False, "neutral"),
        # paid 2026-07-02, after the as-of date: unpaid as of it; due 2026-03-31 ->
        # 2026-06-30 = 30 (Apr) + 31 (May) + 30 (Jun) = 91 days
        "V05": (False, 91, True, "negative"),
        "V06": (True, 0, False, "neutral"),
        "V07": (False, 0, False, "neutral"),  # not due before 2026-12-31
    }
    actual = rows_by_key(
        golden,
        "marts.invoices",
        "invoice_id",
        ["is_paid_as_of_date", "days_overdue", "is_unpaid_overdue", "valence"],
    )
    assert actual == expected


def test_touchpoint_event_valences(golden):
    rows = fetch_rows(
        golden,
        """
        select event_type, valence, count(*) as n from marts.touchpoint_events
        group by 1, 2 order by 1, 2
        """,
    )
    assert [(r["event_type"], r["valence"], r["n"]) for r in rows] == [
        ("invoice", "negative", 3),  # V02 disputed, V03 31 days, V05 91 days
        ("invoice", "neutral", 4),
        ("order", "neutral", 16),  # orders are always neutral
        # R02 R03 R05 R07 R11 R13 R15
        ("survey_response", "negative", 7),
        ("survey_response", "neutral", 5),  # R08 R09 R12 R14 R18
        ("survey_response", "positive", 6),  # R01 R04 R06 R10 R16 R17
        ("ticket", "negative", 6),  # repeats T02 T04 T05 T12 T16, reopened T08
        ("ticket", "neutral", 12),
    ]

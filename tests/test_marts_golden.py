"""Golden tests of the conformed and data-quality marts on a handwritten landing folder.

tests/fixtures/golden/ holds twelve accounts (G01-G12) whose figures were worked out by hand
from METRICS.md and written down below, with the arithmetic, BEFORE the marts were first
built on them. The expectations are literals: nothing is read back from the output to build
them, so every test can fail.

Fixed as-of date 2026-06-30 (--vars), repeat window 7 days, at-risk 3 tickets, grace 30 days:
- end of the as-of date = 2026-07-01 00:00; maturity cut-off = that - 7 * 24 h = 2026-06-24
  00:00 (a ticket created at or after it is not mature);
- revenue window = 2026-06-30 - 364 days = 2025-07-01 .. 2026-06-30 (dates of ordered_at);
- an invoice unpaid on 2026-06-30 is an irritation when due more than 30 calendar days
  earlier, i.e. due on or before 2026-05-30 (2026-05-31 is exactly 30 days: not yet).

The warehouse is built once per module with dbt in-process (dbtRunner), into a temporary
DuckDB file, selecting the conformed and data-quality marts and everything upstream.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from ingest.landing import load_landing
from tests.dbt_helpers import run_dbt

pytestmark = pytest.mark.slow

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
AS_OF = "2026-06-30"
SELECT = "+path:models/marts/core +path:models/marts/data_quality"
RAW_TABLES = (
    "crm.accounts",
    "crm.contacts",
    "crm.orders",
    "crm.invoices",
    "ticketing.tickets",
    "ticketing.ticket_events",
    "survey.surveys",
    "survey.questions",
    "survey.responses",
    "survey.answers",
)


def _dbt_build(db: Path, work: Path, args: list[str], select: str = SELECT) -> None:
    """`dbt build` in-process against `db`: `select` and the tests whose parents it all holds."""
    run_dbt(db, work, "build", "--select", select, "--indirect-selection", "cautious", *args)


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    work = tmp_path_factory.mktemp("golden")
    db = work / "golden.duckdb"
    load_landing(GOLDEN, db)
    _dbt_build(db, work, ["--vars", f"{{as_of_date: '{AS_OF}'}}"])
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _by_key(con, table: str, key: str, columns: list[str]) -> dict:
    cols = ", ".join([key, *columns])
    return {
        r[key]: tuple(r[c] for c in columns)
        for r in _rows(con, f"select {cols} from {table} order by {key}")
    }


# ------------------------------------------------------------------------------- row counts
def test_row_counts(golden):
    expected = {
        "marts.warehouse_as_of": 1,
        "marts.customers": 12,  # G01-G12; G13 (bad created_at) and the keyless row quarantined
        # 15 valid contacts + 2 unmatched emails (nobody@else.test, stranger@else.test)
        "marts.people": 17,
        "marts.touchpoints": 11,  # the catalog seed
        "marts.channels": 8,  # the channels seed, unknown included
        "marts.orders": 16,  # O01-O16
        "marts.invoices": 7,  # V01-V07
        "marts.tickets": 18,  # T01-T18
        # T01-02, T03-05, T06, T07, T08, T09, T10, T11-12, T13, T14, T15-16, T17, T18
        "marts.contact_episodes": 13,
        "marts.survey_responses": 18,  # R01-R18
        "marts.survey_answers": 23,
        "marts.touchpoint_events": 16 + 7 + 18 + 18,  # orders + invoices + tickets + responses
        # G01 and G12 enter all three stages, the other ten accounts purchase + after_purchase
        "marts.customer_journeys": 2 * 3 + 10 * 2,
        # 3 + 7 + 9 + 7 + 6 + 8 + 5 + 6 + 8 + 9, see test_quarantine_reasons
        "marts.quarantined_rows": 68,
        "marts.row_conservation": 10,
        "marts.identity_resolution": 2,
        "marts.unknown_channel_codes": 4,
    }
    actual = {t: golden.execute(f"select count(*) from {t}").fetchone()[0] for t in expected}
    assert actual == expected


# ---------------------------------------------------------------------------------- as-of
def test_as_of_date_from_var(golden):
    from datetime import date

    assert _rows(golden, "select as_of_date, as_of_source from marts.warehouse_as_of") == [
        {"as_of_date": date(2026, 6, 30), "as_of_source": "var"}
    ]


@pytest.fixture(scope="module")
def default_as_of(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    """The same fixture built without the var: the as-of date comes from the data."""
    work = tmp_path_factory.mktemp("golden_default_as_of")
    db = work / "golden.duckdb"
    load_landing(GOLDEN, db)
    _dbt_build(db, work, [], select="+warehouse_as_of")
    con = duckdb.connect(str(db), read_only=True)
    try:
        return _rows(con, "select * from marts.warehouse_as_of")
    finally:
        con.close()


def test_as_of_date_defaults_to_latest_valid_event(default_as_of):
    from datetime import date, datetime

    # Latest among valid rows: order O12 ordered 2026-07-05 10:00 (after invoice V05 paid
    # 2026-07-02 10:00 and response R10 2026-07-02 10:00). Ignored: V07 due_at 2026-12-31 (a
    # deadline), T21 created 2027-01-01 and O20 ordered 2026-12-01 (both quarantined).
    assert default_as_of == [
        {
            "as_of_date": date(2026, 7, 5),
            "as_of_source": "latest_event",
            "latest_event_at": datetime(2026, 7, 5, 10, 0),
        }
    ]


# ------------------------------------------------------------------------------- customers
def test_customers_revenue_tier_and_loyalty(golden):
    # revenue_12m = sum of amounts with 2025-07-01 <= date(ordered_at) <= 2026-06-30
    # orders_12m = those orders that are not refunds
    expected = {
        # O01 60000 -> strategic (>= 50000); latest nps R01 10 (2026-04-01) beats bo's older
        # R02 nps 4 (2026-01-01): promoter
        "G01": (60000, 1, "strategic", 1, "promoter", 10, None),
        # O02 10000 exactly -> key; latest nps R03 6 -> detractor (R04 csat 5 comes later but
        # the nps rule is checked first)
        "G02": (10000, 1, "key", 2, "detractor", 6, 5),
        # O03 5000 + O04 4999.99 = 9999.99 -> core (< 10000); csat R05 2 -> detractor, which
        # comes before loyal although it has 2 orders
        "G03": (9999.99, 2, "core", 3, "detractor", None, 2),
        # O05 2025-06-30 23:00 is one day before the window; O06 600 (2025-07-01 00:00) +
        # O07 400 (2026-06-30 23:59:59) = 1000 exactly -> core; 2 orders, no survey: loyal
        "G04": (1000, 2, "core", 3, "loyal", None, None),
        # O08 999.99 -> basic; latest csat R06 4 -> satisfied (R18 is a comment only)
        "G05": (999.99, 1, "basic", 4, "satisfied", None, 4),
        # O09 2500 -> core; nps R07 2 (2026-01-01) then R08 8 (2026-05-01): latest 8 ->
        # satisfied (7-8)
        "G06": (2500, 1, "core", 3, "satisfied", 8, None),
        # O10 100 + refund O11 -150 = -50: below every threshold -> lowest tier basic;
        # the refund is no order (orders_12m 1); only a ces answer: unknown
        "G07": (-50, 1, "basic", 4, "unknown", None, None),
        # O12 (2026-07-05) and R10 nps 10 (2026-07-02) are after the as-of date: revenue 0,
        # no latest nps -> unknown
        "G08": (0, 0, "basic", 4, "unknown", None, None),
        # O13 20000 -> key; jo's R11 csat 1 (2026-03-01) and ka's R16 nps 9 (2026-04-20):
        # latest nps 9 -> promoter (checked before the csat detractor rule)
        "G09": (20000, 1, "key", 2, "promoter", 9, 1),
        # O14 12000 -> key; R15 only ces 3: unknown
        "G10": (12000, 1, "key", 2, "unknown", None, None),
        # O15 3000 -> core; no survey, 1 order: unknown
        "G11": (3000, 1, "core", 3, "unknown", None, None),
        # O16 800 -> basic; latest csat R12 3 (neither >= 4 nor <= 2): unknown
        "G12": (800, 1, "basic", 4, "unknown", None, 3),
    }
    actual = _by_key(
        golden,
        "marts.customers",
        "account_id",
        [
            "revenue_12m",
            "orders_12m",
            "tier",
            "tier_rank",
            "loyalty_stage",
            "latest_nps_value",
            "latest_csat_value",
        ],
    )
    actual = {
        k: (float(v[0]), *v[1:]) for k, v in actual.items()
    }  # decimal -> float for the literals
    assert actual == {k: (float(v[0]), *v[1:]) for k, v in expected.items()}


def test_customers_people_and_event_span(golden):
    from datetime import datetime

    rows = _by_key(
        golden,
        "marts.customers",
        "account_id",
        ["people", "first_event_at", "last_event_at", "latest_response_at"],
    )
    # G01: contacts K01, K02; events T10 (2025-08-15 10:00) .. R01 (2026-04-01 10:00)
    assert rows["G01"] == (2, datetime(2025, 8, 15, 10), datetime(2026, 4, 1, 10),
                           datetime(2026, 4, 1, 10))  # fmt: skip
    # G08: R10 2026-07-02 and O12 2026-07-05 are events (kept), but R10 is after the as-of
    # date so it is not the latest response as of that date
    assert rows["G08"] == (1, datetime(2026, 7, 2, 10), datetime(2026, 7, 5, 10), None)
    # G11: contacts K13 and K14 share an email; both are people of the account
    assert rows["G11"][0] == 2
    # G09: K10, K11
    assert rows["G09"][0] == 2


def test_loyalty_stage_distribution(golden):
    rows = _rows(
        golden,
        "select loyalty_stage, count(*) as n from marts.customers group by 1 order by 1",
    )
    # promoter G01 G09; detractor G02 G03; loyal G04; satisfied G05 G06;
    # unknown G07 G08 G10 G11 G12
    assert {r["loyalty_stage"]: r["n"] for r in rows} == {
        "promoter": 2,
        "detractor": 2,
        "loyal": 1,
        "satisfied": 2,
        "unknown": 5,
    }


# ---------------------------------------------------------------------------------- people
def test_identity_resolution(golden):
    rows = {r["source_name"]: r for r in _rows(golden, "select * from marts.identity_resolution")}
    # tickets: 18 valid; T11 nobody@else.test and T12 NOBODY@else.test are one unmatched
    # person; T10 " Ana@Alpha.TEST " matches K01 once trimmed and lower-cased.
    # match rate = 100 * 16 / 18 = 88.888...
    t = rows["tickets"]
    assert (t["records"], t["matched"], t["unmatched"], t["unmatched_people"]) == (18, 16, 2, 1)
    assert t["match_rate"] == pytest.approx(100 * 16 / 18)
    # responses: 18 valid; R13 stranger@else.test and R14 " nobody@ELSE.test" unmatched,
    # two different people
    r = rows["survey_responses"]
    assert (r["records"], r["matched"], r["unmatched"], r["unmatched_people"]) == (18, 16, 2, 2)
    assert r["match_rate"] == pytest.approx(100 * 16 / 18)


def test_people_roles_and_counts(golden):
    rows = _rows(
        golden,
        """
        select person_role, count(*) as people, sum(tickets) as tickets,
               sum(survey_responses) as responses
        from marts.people group by 1 order by 1
        """,
    )
    # payers: K01 K03-K09 K11 K12 K14 K15 (12); users: K02 K10 K13 (3); unmatched: 2.
    # tickets: payers K01 1 (T10) + K11 3 (T07-09) + K12 2 (T13-14) + K14 1 (T18) + K15 3
    #          (T15-17) = 10; users K10 6 (T01-06); unmatched nobody 2 (T11-12). 18 in all.
    # responses: payers K01 1 + K03 2 + K04 1 + K06 2 + K07 2 + K08 1 + K09 1 + K11 1 +
    #            K12 1 + K15 1 = 13; users K02 2 (R02, R17) + K10 1 (R11) = 3;
    #            unmatched stranger 1 + nobody 1 = 2. 18 in all.
    assert [(r["person_role"], r["people"], r["tickets"], r["responses"]) for r in rows] == [
        ("payer", 12, 10, 13),
        ("unmatched", 2, 2, 2),
        ("user", 3, 6, 3),
    ]


def test_shared_email_goes_to_the_earliest_contact(golden):
    # K13 (created 2025-02-01) and K14 (created 2025-01-15, email "Shared@Kilo.test ") share
    # shared@kilo.test: K14 was created first, so ticket T18 is K14's, although K13 sorts
    # first by id.
    rows = _rows(
        golden,
        """
        select people.is_billing_contact, people.tickets
        from marts.tickets
        inner join marts.people on tickets.person_id = people.person_id
        where tickets.ticket_id = 'T18'
        """,
    )
    assert rows == [{"is_billing_contact": True, "tickets": 1}]  # K14 is the payer


def test_no_pii_in_marts(golden):
    hits = _rows(
        golden,
        """
        select table_name, column_name from information_schema.columns
        where table_schema = 'marts'
          and (column_name like '%email%' or column_name like '%name%'
               or column_name like '%phone%')
          and column_name not in ('account_name', 'touchpoint_name', 'channel_name',
                                  'table_name', 'source_name')
        """,
    )
    assert hits == []
    # person ids are hashes, not contact ids or emails
    ids = [r["person_id"] for r in _rows(golden, "select person_id from marts.people")]
    assert all(len(i) == 32 and "@" not in i and not i.startswith("K") for i in ids)


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
    actual = _by_key(
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
    actual = _by_key(
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
    row = _rows(
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
    actual = _by_key(
        golden,
        "marts.contact_episodes",
        "episode_id",
        ["tickets", "is_solved", "is_reopened", "is_fcr", "is_at_risk", "is_mature"],
    )
    assert actual == expected
    # fcr_rate = 100 * 6 FCR episodes / 9 solved episodes; contacts_per_episode = 18 / 13
    totals = _rows(
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
    actual = _by_key(
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
    actual = _by_key(
        golden,
        "marts.invoices",
        "invoice_id",
        ["is_paid_as_of_date", "days_overdue", "is_unpaid_overdue", "valence"],
    )
    assert actual == expected


def test_touchpoint_event_valences(golden):
    rows = _rows(
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


# ------------------------------------------------------------------------------- journeys
def test_journey_sequence_of_lima(golden):
    # G12: T17 pre-sales 2026-05-01 09:00; O16 and V07 both 2026-05-10 12:00 (the order
    # before its invoice); T15, T16 and R12 (about T15) all 2026-05-20 10:00 (tickets
    # before the response, T15 before T16 by id)
    rows = _rows(
        golden,
        """
        select event_id, journey_sequence, previous_touchpoint_code, touchpoint_code,
               next_touchpoint_code, journey_stage
        from marts.touchpoint_events where account_id = 'G12' order by journey_sequence
        """,
    )
    assert [tuple(r.values()) for r in rows] == [
        ("ticket:T17", 1, None, "sales_inquiry", "purchase", "before_purchase"),
        ("order:O16", 2, "sales_inquiry", "purchase", "billing", "purchase"),
        ("invoice:V07", 3, "purchase", "billing", "product_use", "after_purchase"),
        ("ticket:T15", 4, "billing", "product_use", "product_use", "after_purchase"),
        ("ticket:T16", 5, "product_use", "product_use", "product_use", "after_purchase"),
        ("survey_response:R12", 6, "product_use", "product_use", None, "after_purchase"),
    ]


def test_journey_of_an_unmatched_person(golden):
    # nobody@else.test has no account: its own journey T11 (06-01), T12 (06-05), R14 (06-06)
    rows = _rows(
        golden,
        """
        select event_id, journey_sequence, previous_touchpoint_code, next_touchpoint_code
        from marts.touchpoint_events
        where account_id is null and event_id in ('ticket:T11', 'ticket:T12',
                                                  'survey_response:R14')
        order by journey_sequence
        """,
    )
    assert [tuple(r.values()) for r in rows] == [
        ("ticket:T11", 1, None, "cancellation"),
        ("ticket:T12", 2, "cancellation", "relationship"),
        ("survey_response:R14", 3, "cancellation", None),
    ]


def test_customer_journeys(golden):
    from datetime import datetime

    rows = _by_key(
        golden,
        "marts.customer_journeys",
        "journey_id",
        ["entered_at", "events", "negative_events", "negative_share", "next_stage",
         "days_to_next_stage"],
    )  # fmt: skip
    # G12 before_purchase: T17 only; next purchase 2026-05-10: 9 days after 2026-05-01
    assert rows["G12:before_purchase"] == (datetime(2026, 5, 1, 9), 1, 0, 0.0, "purchase", 9)
    # purchase (O16) and after_purchase (V07) entered at the same instant: funnel order
    assert rows["G12:purchase"] == (datetime(2026, 5, 10, 12), 1, 0, 0.0, "after_purchase", 0)
    # V07, T15, T16, R12: T16 (repeat) is the only irritation: 100 * 1 / 4 = 25 %
    assert rows["G12:after_purchase"] == (datetime(2026, 5, 10, 12), 4, 1, 25.0, None, None)
    # G01: T10 2025-08-15 -> O01 2025-09-01 = 17 days
    assert rows["G01:before_purchase"][4:] == ("purchase", 17)
    # G10 after_purchase: V02 V03 V04 V05 T13 T14 -> irritations V02 V03 V05 = 3 of 6 = 50 %
    # purchase: O14 and R15 (purchase survey, ces 3 negative) = 1 of 2 = 50 %
    assert rows["G10:after_purchase"][1:4] == (6, 3, 50.0)
    assert rows["G10:purchase"][1:4] == (2, 1, 50.0)


# ------------------------------------------------------------------------- data quality
def test_quarantine_reasons(golden):
    rows = _rows(
        golden,
        """
        select table_name, quarantine_reason, count(*) as n from marts.quarantined_rows
        group by 1, 2 order by 1, 2
        """,
    )
    assert [(r["table_name"], r["quarantine_reason"], r["n"]) for r in rows] == [
        # accounts: keyless row; G13 "13/01/2025"; second G01
        ("crm.accounts", "duplicate_key", 1),
        ("crm.accounts", "invalid_timestamp", 1),
        ("crm.accounts", "missing_key", 1),
        # contacts: second K01; K18 "maybe"; K19 "yesterday"; keyless; K17 no account;
        # K16 -> G99 and K20 -> G13 (a quarantined account takes its contacts with it)
        ("crm.contacts", "duplicate_key", 1),
        ("crm.contacts", "invalid_boolean", 1),
        ("crm.contacts", "invalid_timestamp", 1),
        ("crm.contacts", "missing_key", 1),
        ("crm.contacts", "missing_reference", 1),
        ("crm.contacts", "orphan_reference", 2),
        # invoices: second V01; V10 "perhaps"; V09 "12x"; V08 February 30; keyless; V11 no
        # account; V12 -> O99
        ("crm.invoices", "duplicate_key", 1),
        ("crm.invoices", "invalid_boolean", 1),
        ("crm.invoices", "invalid_number", 1),
        ("crm.invoices", "invalid_timestamp", 1),
        ("crm.invoices", "missing_key", 1),
        ("crm.invoices", "missing_reference", 1),
        ("crm.invoices", "orphan_reference", 1),
        # orders: second O01; O20 "gift"; O18 "abc" and O19 -5 on a new order; O17 month 13;
        # keyless; O21 no account; O22 -> G99, O23 -> K99
        ("crm.orders", "duplicate_key", 1),
        ("crm.orders", "invalid_code", 1),
        ("crm.orders", "invalid_number", 2),
        ("crm.orders", "invalid_timestamp", 1),
        ("crm.orders", "missing_key", 1),
        ("crm.orders", "missing_reference", 1),
        ("crm.orders", "orphan_reference", 2),
        # answers: second R01/Q01; R01 "ten"; keyless; R99, R19 (quarantined response) and
        # Q99; R04 ces 8, R06 4.5 and a number on a comment
        ("survey.answers", "duplicate_key", 1),
        ("survey.answers", "invalid_number", 1),
        ("survey.answers", "missing_key", 1),
        ("survey.answers", "orphan_reference", 3),
        ("survey.answers", "score_out_of_range", 3),
        # questions: second Q01; Q10 "stars"; keyless; Q11 no survey; Q12 -> S9, Q13 -> S5
        ("survey.questions", "duplicate_key", 1),
        ("survey.questions", "invalid_code", 1),
        ("survey.questions", "missing_key", 1),
        ("survey.questions", "missing_reference", 1),
        ("survey.questions", "orphan_reference", 2),
        # responses: second R01; R19 "31/12/2026"; keyless; R20 no survey, R21 no email;
        # R22 -> S9, R23 -> T99, R24 -> O99
        ("survey.responses", "duplicate_key", 1),
        ("survey.responses", "invalid_timestamp", 1),
        ("survey.responses", "missing_key", 1),
        ("survey.responses", "missing_reference", 2),
        ("survey.responses", "orphan_reference", 3),
        # surveys: second S1; S5 "adhoc"; keyless; S6 transactional without touchpoint;
        # S7 -> unicorn_ride
        ("survey.surveys", "duplicate_key", 1),
        ("survey.surveys", "invalid_code", 1),
        ("survey.surveys", "missing_key", 1),
        ("survey.surveys", "missing_reference", 1),
        ("survey.surveys", "orphan_reference", 1),
        # events: second E01; E38 "escalation", E39 "robot"; E37 "never"; keyless; E40 no
        # ticket; E41 -> T99, E42 -> T20 (quarantined ticket)
        ("ticketing.ticket_events", "duplicate_key", 1),
        ("ticketing.ticket_events", "invalid_code", 2),
        ("ticketing.ticket_events", "invalid_timestamp", 1),
        ("ticketing.ticket_events", "missing_key", 1),
        ("ticketing.ticket_events", "missing_reference", 1),
        ("ticketing.ticket_events", "orphan_reference", 2),
        # tickets: second T01; T20 "gossip", T21 "escalated"; T19 "soon"; keyless; T22 no
        # requester
        ("ticketing.tickets", "duplicate_key", 1),
        ("ticketing.tickets", "invalid_code", 2),
        ("ticketing.tickets", "invalid_timestamp", 1),
        ("ticketing.tickets", "missing_key", 1),
        ("ticketing.tickets", "missing_reference", 1),
    ]


def test_row_conservation_against_the_raw_tables(golden):
    """For every raw table: raw rows (counted in raw, not in the marts) = staged + quarantined."""
    marts = {
        r["table_name"]: r
        for r in _rows(golden, "select * from marts.row_conservation order by table_name")
    }
    assert sorted(marts) == sorted(RAW_TABLES)
    for table in RAW_TABLES:
        system, name = table.split(".")
        raw = golden.execute(f"select count(*) from raw_{system}.{name}").fetchone()[0]
        staged = golden.execute(f"select count(*) from staging.stg_{system}__{name}").fetchone()[0]
        quarantined = golden.execute(
            f"select count(*) from marts.quarantined_rows where table_name = '{table}'"
        ).fetchone()[0]
        assert raw == staged + quarantined, table
        assert (marts[table]["raw_rows"], marts[table]["staged_rows"],
                marts[table]["quarantined_rows"]) == (raw, staged, quarantined), table  # fmt: skip
        assert marts[table]["is_conserved"] is True
    # and against the CSV files themselves (data rows = lines - header)
    expected_raw = {
        "crm.accounts": 15,
        "crm.contacts": 22,
        "crm.orders": 25,
        "crm.invoices": 14,
        "ticketing.tickets": 24,
        "ticketing.ticket_events": 44,
        "survey.surveys": 9,
        "survey.questions": 14,
        "survey.responses": 26,
        "survey.answers": 32,
    }
    assert {t: marts[t]["raw_rows"] for t in RAW_TABLES} == expected_raw


def test_unknown_channel_codes(golden):
    rows = _rows(
        golden,
        "select table_name, channel_code, rows from marts.unknown_channel_codes order by 1, 2",
    )
    assert [tuple(r.values()) for r in rows] == [
        ("crm.orders", "fax", 1),  # O15 " Fax"
        ("survey.responses", None, 1),  # R11 has no channel
        ("ticketing.ticket_events", "telex", 1),  # E23
        ("ticketing.tickets", "telex", 1),  # T09
    ]

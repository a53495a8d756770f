"""Golden figures of the conformed marts: row counts, the as-of date, customers, people and
identity resolution (see __init__.py for the fixture and the fixed dates)."""

from __future__ import annotations

import duckdb
import pytest

from ingest.landing import load_landing
from tests.golden_marts.reading import (
    GOLDEN,
    dbt_build,
    fetch_rows,
    rows_by_key,
)

pytestmark = pytest.mark.slow


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

    assert fetch_rows(golden, "select as_of_date, as_of_source from marts.warehouse_as_of") == [
        {"as_of_date": date(2026, 6, 30), "as_of_source": "var"}
    ]


@pytest.fixture(scope="module")
def default_as_of(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    """The same fixture built without the var: the as-of date comes from the data."""
    work = tmp_path_factory.mktemp("golden_default_as_of")
    db = work / "golden.duckdb"
    load_landing(GOLDEN, db)
    dbt_build(db, work, [], select="+warehouse_as_of")
    con = duckdb.connect(str(db), read_only=True)
    try:
        return fetch_rows(con, "select * from marts.warehouse_as_of")
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
    actual = rows_by_key(
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

    rows = rows_by_key(
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
    rows = fetch_rows(
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
    rows = {
        r["source_name"]: r for r in fetch_rows(golden, "select * from marts.identity_resolution")
    }
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
    rows = fetch_rows(
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
    rows = fetch_rows(
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
    hits = fetch_rows(
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
    ids = [r["person_id"] for r in fetch_rows(golden, "select person_id from marts.people")]
    assert all(len(i) == 32 and "@" not in i and not i.startswith("K") for i in ids)

"""Golden figures of journeys and of the data-quality marts: quarantine reasons, row
conservation against the raw tables, unknown channel codes (see __init__.py)."""

from __future__ import annotations

import pytest

from tests.golden_marts.reading import (
    RAW_TABLES,
    fetch_rows,
    rows_by_key,
)

pytestmark = pytest.mark.slow


# ------------------------------------------------------------------------------- journeys
def test_journey_sequence_of_lima(golden):
    # G12: T17 pre-sales 2026-05-01 09:00; O16 and V07 both 2026-05-10 12:00 (the order
    # before its invoice); T15, T16 and R12 (about T15) all 2026-05-20 10:00 (tickets
    # before the response, T15 before T16 by id)
    rows = fetch_rows(
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
    rows = fetch_rows(
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

    rows = rows_by_key(
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
    rows = fetch_rows(
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
        for r in fetch_rows(golden, "select * from marts.row_conservation order by table_name")
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
    rows = fetch_rows(
        golden,
        "select table_name, channel_code, rows from marts.unknown_channel_codes order by 1, 2",
    )
    assert [tuple(r.values()) for r in rows] == [
        ("crm.orders", "fax", 1),  # O15 " Fax"
        ("survey.responses", None, 1),  # R11 has no channel
        ("ticketing.ticket_events", "telex", 1),  # E23
        ("ticketing.tickets", "telex", 1),  # T09
    ]

"""Staging and quarantine on the hand-made mini fixture.

Every expected value below was worked out by hand from the CSV files in tests/fixtures/mini
(the row numbers are `_source_row`, the 1-based data row of the file, header excluded) and the
rules of docs/design.md: the first rule broken wins, in the order missing_key, then the row
rules (invalid_timestamp, invalid_number, invalid_boolean, invalid_code, missing_reference,
orphan_reference, score_out_of_range), then duplicate_key (the first otherwise-valid row of a
key is kept). References are checked against the parent's *valid* rows.

Two builds, each in its own temp DuckDB and dbt target folder (so parallel runs cannot
collide): the fixture as it is, and the fixture plus extra rows for crm.accounts, crm.orders
and survey.answers. Those three files stay unchanged in tests/fixtures/mini because
tests/test_landing.py pins their row counts and last line.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.contract import TABLES
from ingest.landing import load_landing
from tests.dbt_helpers import query, run_dbt

REPO = Path(__file__).resolve().parents[1]
MINI = REPO / "tests" / "fixtures" / "mini"

# ---------------------------------------------------------------------------------------------
# Expected quarantine reasons, by table and _source_row, for tests/fixtures/mini as it is.
# Every row not listed is valid and reaches the stg_ view.
# ---------------------------------------------------------------------------------------------
MINI_QUARANTINE: dict[str, dict[int, str]] = {
    # crm/accounts.csv: rows 1-3 (A1, A2, A3) are valid.
    "crm.accounts": {
        4: "duplicate_key",  # A3 again; row 3 is the first otherwise-valid A3 and is kept
        5: "missing_key",  # account_id blank
        6: "invalid_timestamp",  # A4: created_at 'not a date'
    },
    # crm/contacts.csv: rows 1-4 (C1, C2 of A1; C3 of A2; C4 of A3, is_billing 'yes') valid.
    "crm.contacts": {
        5: "orphan_reference",  # C5 -> A9, an account that was never delivered
        6: "invalid_boolean",  # C6: is_billing_contact 'maybe'
        7: "missing_reference",  # C7: account_id blank
        8: "orphan_reference",  # C8 -> A4, delivered but quarantined (invalid_timestamp)
        # C9 breaks three rules (created_at '31/12/2025', boolean 'maybe', account A9):
        # invalid_timestamp comes first in the order.
        9: "invalid_timestamp",
        10: "duplicate_key",  # C1 again
        11: "missing_key",  # contact_id blank
    },
    # crm/orders.csv: O1 (channel 'Web_Form'), O2, O3 (channel ' Phone'), O4 and O5 (a
    # negative one_off: a refund, allowed) are valid.
    "crm.orders": {
        6: "invalid_number",  # O6: amount 'abc'
    },
    # crm/invoices.csv: I1-I4 valid (I4 -> A3 and O4, both valid).
    "crm.invoices": {
        5: "orphan_reference",  # I5 -> order O6, quarantined (its account A1 is valid)
        6: "missing_reference",  # I6: account_id blank
        7: "invalid_timestamp",  # I7: issued_at in month 13
        8: "invalid_number",  # I8: amount blank (required)
        9: "orphan_reference",  # I9 -> A4, quarantined
        10: "duplicate_key",  # I3 again
    },
    # ticketing/tickets.csv: T1 (email ' Ana.Pay@ACME.test '), T2, T3 and T4 (channel 'fax',
    # unknown, which is not a violation) are valid.
    "ticketing.tickets": {
        5: "invalid_code",  # T5: category 'unknown_category'
        6: "missing_reference",  # T6: requester_email blank
        7: "invalid_code",  # T7: status 'escalated'
        8: "invalid_timestamp",  # T8: created_at 'yesterday'
        9: "invalid_timestamp",  # T9: solved_at 'soon'
        10: "duplicate_key",  # T1 again
        11: "missing_key",  # ticket_id blank
    },
    # ticketing/ticket_events.csv: E1-E9 (on T1, T2, T3) are valid.
    "ticketing.ticket_events": {
        10: "orphan_reference",  # E10 -> T99, never delivered
        11: "orphan_reference",  # E11 -> T5, quarantined (invalid_code)
        12: "invalid_code",  # E12: event_type 'escalation'
        13: "invalid_code",  # E13: author_role 'robot'
        14: "missing_reference",  # E14: ticket_id blank
        15: "duplicate_key",  # E1 again
        16: "invalid_timestamp",  # E15: created_at blank (required)
    },
    # survey/surveys.csv: S1 (relationship) and S2 (transactional, support) are valid.
    "survey.surveys": {
        3: "invalid_code",  # S3: survey_kind 'adhoc'
        4: "missing_reference",  # S4: transactional without a touchpoint_code
        5: "orphan_reference",  # S5: touchpoint 'unicorn_ride' is not in the catalog
        6: "duplicate_key",  # S1 again
        7: "missing_key",  # survey_id blank
    },
    # survey/questions.csv: Q1-Q6 are valid.
    "survey.questions": {
        7: "invalid_code",  # Q7: measure 'stars'
        8: "invalid_code",  # Q8: an importance item without a factor
        9: "invalid_code",  # Q9: factor 'speed'
        10: "missing_reference",  # Q10: survey_id blank
        11: "orphan_reference",  # Q11 -> S3, quarantined
        12: "duplicate_key",  # Q1 again
    },
    # survey/responses.csv: R1-R4 are valid (R3 -> T3, R4 -> T4: valid tickets).
    "survey.responses": {
        5: "missing_reference",  # R5: respondent_email blank
        6: "orphan_reference",  # R6 -> S9, never delivered
        7: "orphan_reference",  # R7 -> ticket T5, quarantined
        8: "orphan_reference",  # R8 -> order O6, quarantined
        9: "invalid_timestamp",  # R9: submitted_at '12/10/2026'
        10: "duplicate_key",  # R1 again
        11: "missing_reference",  # R10: survey_id blank
    },
    # survey/answers.csv: rows 1-10 are valid (scores on their scales; R3/Q6 a comment).
    "survey.answers": {
        11: "score_out_of_range",  # R4/Q5: ces (1-7) answered 11
    },
}

# Valid keys per table, in the same hand-worked reading.
MINI_VALID_KEYS: dict[str, set[str]] = {
    "crm.accounts": {"A1", "A2", "A3"},
    "crm.contacts": {"C1", "C2", "C3", "C4"},
    "crm.orders": {"O1", "O2", "O3", "O4", "O5"},
    "crm.invoices": {"I1", "I2", "I3", "I4"},
    "ticketing.tickets": {"T1", "T2", "T3", "T4"},
    "ticketing.ticket_events": {f"E{n}" for n in range(1, 10)},
    "survey.surveys": {"S1", "S2"},
    "survey.questions": {f"Q{n}" for n in range(1, 7)},
    "survey.responses": {"R1", "R2", "R3", "R4"},
}

# ---------------------------------------------------------------------------------------------
# Extra rows appended (in a temp copy only) to the files test_landing.py pins, with the
# reason each must get. Row numbers continue the fixture's.
# ---------------------------------------------------------------------------------------------
FIXTURE_ROWS = {"crm/accounts.csv": 6, "crm/orders.csv": 6, "survey/answers.csv": 11}
EXTRA_ROWS: dict[str, list[tuple[str, str | None]]] = {
    # after rows 1-6 of crm/accounts.csv
    "crm/accounts.csv": [
        ("A1,Acme again,enterprise,ES,yesterday,", "invalid_timestamp"),  # 7: row rule
        # beats duplicate_key
        ("  ,Blank key,smb,ES,2025-05-05,", "missing_key"),  # 8: a key of spaces is blank
        ("A5,Epsilon,smb,ES,not a date,", "invalid_timestamp"),  # 9
        ("A5,Epsilon,smb,ES,2025-06-01T00:00:00Z,", None),  # 10: first otherwise-valid A5
    ],
    # after rows 1-6 of crm/orders.csv
    "crm/orders.csv": [
        ("O7,A1,C1,gift,2026-01-01T10:00:00Z,10.00,EUR,web", "invalid_code"),  # 7
        # 8: a negative amount is only allowed on a one_off refund
        ("O8,A1,C1,new,2026-01-02T10:00:00Z,-5.00,EUR,web", "invalid_number"),
        ("O9,,C1,new,2026-01-03T10:00:00Z,10.00,EUR,web", "missing_reference"),  # 9
        ("O10,A4,,new,2026-01-04T10:00:00Z,10.00,EUR,web", "orphan_reference"),  # 10: A4
        ("O11,A1,C5,new,2026-01-05T10:00:00Z,10.00,EUR,web", "orphan_reference"),  # 11: C5
        # 12: A5 is valid (row 10 above) so its order is too; 'fax' -> channel unknown
        ("O12,A5,,new,2026-01-06T10:00:00Z,10.00,EUR,fax", None),
        ("O1,A1,C1,new,2025-11-01T10:00:00Z,60000.00,EUR,web", "duplicate_key"),  # 13
        # 14: negative non-refund and unknown order_type: invalid_number comes first
        ("O13,A1,C1,gift,2026-01-07T10:00:00Z,-5.00,EUR,web", "invalid_number"),
    ],
    # after rows 1-11 of survey/answers.csv
    "survey/answers.csv": [
        (",Q1,abc,", "missing_key"),  # 12: missing_key comes before invalid_number
        ("R2,Q4,five,", "invalid_number"),  # 13
        ("R1,Q1,9.5,", "score_out_of_range"),  # 14: not a whole number (beats duplicate)
        ("R1,Q1,3,", "duplicate_key"),  # 15: R1/Q1 is row 1
        ("R2,Q6,4,", "score_out_of_range"),  # 16: a number given to a comment question
        ("R1,Q2,0,", "score_out_of_range"),  # 17: importance is 1-5
        ("R5,Q1,5,", "orphan_reference"),  # 18: response R5 is quarantined
        ("R2,Q7,5,", "orphan_reference"),  # 19: question Q7 is quarantined
    ],
}


def _build(landing: Path, workdir: Path) -> Path:
    """Load ``landing`` into a fresh DuckDB and ``dbt build`` staging and seeds on it."""
    db = workdir / "warehouse.duckdb"
    load_landing(landing, db)
    run_dbt(
        db,
        workdir,
        "build",
        "--select",
        "path:models/staging",
        "resource_type:seed",
        # tests of models outside the selection (marts) that also touch a seed stay out
        "--indirect-selection",
        "buildable",
    )
    return db


@pytest.fixture(scope="module")
def mini_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(MINI, tmp_path_factory.mktemp("staging_mini"))


@pytest.fixture(scope="module")
def extended_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    for file, rows in FIXTURE_ROWS.items():
        assert _csv_data_rows(MINI / file) == rows, f"{file} changed; renumber EXTRA_ROWS"
    workdir = tmp_path_factory.mktemp("staging_extended")
    landing = workdir / "landing"
    shutil.copytree(MINI, landing)
    for file, rows in EXTRA_ROWS.items():
        with (landing / file).open("a", encoding="utf-8") as fh:
            fh.writelines(line + "\n" for line, _ in rows)
    return _build(landing, workdir)


def _csv_data_rows(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines()) - 1  # no quoted newlines here


def _model(qualified: str) -> str:
    system, table = qualified.split(".")
    return f"staging.stg_{system}__{table}"


def _reasons(db: Path, qualified: str) -> dict[int, str]:
    rows = query(db, f"select _source_row, quarantine_reason from {_model(qualified)}_quarantine")
    return dict(rows)


def _counts(db: Path, qualified: str) -> tuple[int, int, int]:
    system, table = qualified.split(".")
    [(raw, staged, quarantined)] = query(
        db,
        f"select (select count(*) from raw_{system}.{table}),"
        f" (select count(*) from {_model(qualified)}),"
        f" (select count(*) from {_model(qualified)}_quarantine)",
    )
    return raw, staged, quarantined


# --------------------------------------------------------------------------------- the fixture


@pytest.mark.parametrize("qualified", sorted(MINI_QUARANTINE))
def test_every_bad_row_is_quarantined_with_its_reason(mini_db: Path, qualified: str):
    assert _reasons(mini_db, qualified) == MINI_QUARANTINE[qualified]


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.qualified)
def test_rows_are_conserved(mini_db: Path, table):
    raw, staged, quarantined = _counts(mini_db, table.qualified)
    assert raw == staged + quarantined
    assert quarantined == len(MINI_QUARANTINE[table.qualified])
    # and row by row: every raw row is on exactly one side (no fan-out, no silent drop)
    sides = query(
        mini_db,
        f"select _source_row from {_model(table.qualified)}"
        f" union all select _source_row from {_model(table.qualified)}_quarantine",
    )
    raw_rows = query(mini_db, f"select _source_row from raw_{table.system}.{table.name}")
    assert sorted(sides) == sorted(raw_rows)


@pytest.mark.parametrize("qualified", sorted(MINI_VALID_KEYS))
def test_valid_rows_reach_staging(mini_db: Path, qualified: str):
    table = next(t for t in TABLES if t.qualified == qualified)
    [key] = table.key
    keys = {row[0] for row in query(mini_db, f"select {key} from {_model(qualified)}")}
    assert keys == MINI_VALID_KEYS[qualified]


def test_valid_answers_reach_staging(mini_db: Path):
    rows = query(
        mini_db, "select response_id, question_id, measure from staging.stg_survey__answers"
    )
    assert len(rows) == 10
    assert ("R4", "Q5", "ces") not in rows
    assert ("R3", "Q6", "comment") in rows


def test_timestamps_are_utc(mini_db: Path):
    created = dict(query(mini_db, "select account_id, created_at from staging.stg_crm__accounts"))
    assert created["A1"] == datetime(2025, 1, 10, 9, 0)  # '...T09:00:00Z'
    assert created["A2"] == datetime(2025, 3, 1, 9, 0)  # '2025-03-01T10:00:00+01:00'
    assert created["A3"] == datetime(2025, 5, 5, 0, 0)  # a date alone: midnight UTC


def test_emails_are_normalised(mini_db: Path):
    emails = dict(
        query(mini_db, "select ticket_id, requester_email from staging.stg_ticketing__tickets")
    )
    assert emails["T1"] == "ana.pay@acme.test"  # delivered as ' Ana.Pay@ACME.test '


def test_channels_are_mapped_and_unknown_codes_kept(mini_db: Path):
    tickets = {
        r[0]: r[1:]
        for r in query(
            mini_db, "select ticket_id, channel_code, channel from staging.stg_ticketing__tickets"
        )
    }
    assert tickets["T4"] == ("fax", "unknown")  # unknown code: kept, not quarantined
    orders = {
        r[0]: r[1:]
        for r in query(
            mini_db, "select order_id, channel_code, channel from staging.stg_crm__orders"
        )
    }
    assert orders["O1"] == ("web_form", "web")  # 'Web_Form'
    assert orders["O3"] == ("phone", "phone")  # ' Phone'
    responses = dict(
        query(mini_db, "select response_id, channel from staging.stg_survey__responses")
    )
    assert responses["R4"] == "social"  # 'twitter'


def test_values_are_typed(mini_db: Path):
    orders = dict(query(mini_db, "select order_id, amount from staging.stg_crm__orders"))
    assert orders["O5"] == Decimal("-100")  # a refund: negative one_off
    billing = dict(
        query(mini_db, "select contact_id, is_billing_contact from staging.stg_crm__contacts")
    )
    assert billing == {"C1": True, "C2": False, "C3": True, "C4": True}  # C4 'yes'
    disputed = dict(query(mini_db, "select invoice_id, is_disputed from staging.stg_crm__invoices"))
    assert disputed == {"I1": False, "I2": True, "I3": False, "I4": False}


def test_quarantine_keeps_rows_as_delivered(mini_db: Path):
    # all raw columns, untyped, extra column (crm_owner) and lineage included
    rows = query(
        mini_db,
        "select _source_row, account_id, account_name, created_at, crm_owner, _source_file"
        " from staging.stg_crm__accounts_quarantine order by _source_row",
    )
    assert rows == [
        (4, "A3", "Gamma duplicate", "2025-05-05", None, "crm/accounts.csv"),
        (5, None, "No key", "2025-05-05", None, "crm/accounts.csv"),
        (6, "A4", "Delta", "not a date", None, "crm/accounts.csv"),
    ]
    [(created_at, is_billing)] = query(
        mini_db,
        "select created_at, is_billing_contact from staging.stg_crm__contacts_quarantine"
        " where contact_id = 'C9'",
    )
    assert (created_at, is_billing) == ("31/12/2025", "maybe")


# ------------------------------------------------------------------ the fixture plus extra rows


@pytest.mark.parametrize("file", sorted(EXTRA_ROWS))
def test_extra_rows_get_their_reason(extended_db: Path, file: str):
    system, name = file.removesuffix(".csv").split("/")
    qualified = f"{system}.{name}"
    base = FIXTURE_ROWS[file]
    expected = dict(MINI_QUARANTINE[qualified])
    for offset, (_, reason) in enumerate(EXTRA_ROWS[file], start=1):
        if reason is not None:
            expected[base + offset] = reason
    assert _reasons(extended_db, qualified) == expected


def test_first_otherwise_valid_row_of_a_key_is_kept(extended_db: Path):
    # A5 row 9 has a bad timestamp; row 10 is the first otherwise-valid A5 and is kept,
    # and the order O12 of A5 is valid with it.
    [(source_row, created_at)] = query(
        extended_db,
        "select _source_row, created_at from staging.stg_crm__accounts where account_id = 'A5'",
    )
    assert (source_row, created_at) == (10, datetime(2025, 6, 1, 0, 0))
    [(account_id, channel)] = query(
        extended_db,
        "select account_id, channel from staging.stg_crm__orders where order_id = 'O12'",
    )
    assert (account_id, channel) == ("A5", "unknown")


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.qualified)
def test_rows_are_conserved_with_extra_rows(extended_db: Path, table):
    raw, staged, quarantined = _counts(extended_db, table.qualified)
    assert raw == staged + quarantined

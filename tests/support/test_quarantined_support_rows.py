"""Bad rows of the optional support tables (issue 16: ticketing.schedules, ticketing.holidays,
ticketing.sla_policies) are reported in marts.quarantined_rows like those of the contract's
tables: which table and file, which data row, the first rule it broke."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingest.contract import OPTIONAL_TABLES
from tests.dbt_helpers import query, run_dbt
from tests.support.conftest import AS_OF, HOLIDAYS, SCHEDULES, SLA_POLICIES, land

# rows appended to the fixture's tables, each with the rule it breaks (the first one in the
# order of its base model), written by hand
BAD_ROWS = {
    "holidays": [
        (("", "2026-03-11", "No schedule"), "missing_key"),
        (("S1", "someday", "No date"), "invalid_timestamp"),
        # the fixture's S1 holiday again: the later row is the duplicate
        (("S1", "2026-03-10", "Founders day again"), "duplicate_key"),
    ],
    "schedules": [
        (("S1", "America/New_York", "x", "09:00", "17:00", "2026-03-01"), "invalid_number"),
        (("S2", "Europe/Berlin", "7", "10:00", "18:00", "2026-01-01"), "invalid_code"),
        (("S2", "Europe/Berlin", "1", "18:00", "10:00", "2026-02-01"), "invalid_code"),
        # the fixture's first S1 interval again
        (("S1", "America/New_York", "0", "09:00", "16:00", "2026-03-01"), "duplicate_key"),
    ],
    "sla_policies": [
        (("P-BAD", "high", "", "first_reply", "-5", "true"), "invalid_number"),
        (("P-BAD", "high", "", "next_reply", "5", "maybe"), "invalid_boolean"),
        (("P-BAD", "high", "", "uptime", "5", "true"), "invalid_code"),
        (("P-BAD", "", "", "resolution", "5", "true"), "invalid_code"),
        (("", "high", "", "resolution", "5", "true"), "missing_key"),
        # the fixture's first P-HIGH target again
        (("P-HIGH", "high", "", "first_reply", "60", "true"), "duplicate_key"),
    ],
}
GOOD_ROWS = {"holidays": HOLIDAYS, "schedules": SCHEDULES, "sla_policies": SLA_POLICIES}


@pytest.fixture(scope="module")
def quarantine_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("support_quarantine")
    database = work / "warehouse.duckdb"
    land(database)
    con = duckdb.connect(str(database))
    try:
        for t in OPTIONAL_TABLES:
            first = len(GOOD_ROWS[t.name]) + 1
            for row_number, (row, _) in enumerate(BAD_ROWS[t.name], start=first):
                values = [None if v == "" else v for v in row]
                marks = ", ".join("?" for _ in range(len(values) + 4))
                con.execute(
                    f"insert into {t.raw_schema}.{t.name} values ({marks})",
                    [*values, f"{t.name}.csv", row_number, "fixture", "2026-04-02 00:00:00"],
                )
    finally:
        con.close()
    vars_ = f'{{"as_of_date": "{AS_OF}"}}'
    run_dbt(database, work, "seed", "--vars", vars_)
    run_dbt(database, work, "run", "--vars", vars_, "--select", "+quarantined_rows")
    return database


def test_bad_support_rows_are_listed_with_their_rule(quarantine_warehouse):
    expected = {
        (
            f"ticketing.{name}",
            f"{name}.csv",
            "fixture",
            len(GOOD_ROWS[name]) + index,
            reason,
            f"ticketing.{name}:fixture:{len(GOOD_ROWS[name]) + index}",
        )
        for name, rows in BAD_ROWS.items()
        for index, (_, reason) in enumerate(rows, start=1)
    }
    got = query(
        quarantine_warehouse,
        "select table_name, source_file, batch_id, source_row, quarantine_reason, "
        "quarantined_row_id from marts.quarantined_rows "
        "where table_name in ('ticketing.schedules', 'ticketing.holidays', "
        "'ticketing.sla_policies')",
    )
    assert len(got) == len(expected)
    assert set(got) == expected
    # the valid rows are not quarantined: they reach the models that read them
    assert query(
        quarantine_warehouse,
        "select (select count(*) from staging.base_ticketing__holidays "
        "where quarantine_reason is null), "
        "(select count(*) from staging.base_ticketing__schedules "
        "where quarantine_reason is null), "
        "(select count(*) from staging.base_ticketing__sla_policies "
        "where quarantine_reason is null)",
    ) == [(len(HOLIDAYS), len(SCHEDULES), len(SLA_POLICIES))]

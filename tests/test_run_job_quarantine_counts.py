"""The run summary's quarantine counts (cli/run_job._quarantine_counts): the contract tables'
stg_*_quarantine models, and the optional support tables' base_ticketing__* rows that carry a
quarantine_reason (issue 16), only for the models this run built."""

from __future__ import annotations

import duckdb

from cli.outcome import JobOutcome
from cli.run_job import _quarantine_counts
from tests.conftest import make_settings


def _database(path):
    con = duckdb.connect(str(path))
    con.execute("create schema staging")
    con.execute("create table staging.stg_crm__accounts_quarantine (quarantine_reason varchar)")
    con.execute(
        "insert into staging.stg_crm__accounts_quarantine values ('missing_key'), ('duplicate_key')"
    )
    con.execute(
        "create table staging.base_ticketing__holidays "
        "(_source_row bigint, schedule_id varchar, quarantine_reason varchar)"
    )
    con.execute(
        "insert into staging.base_ticketing__holidays values "
        "(1, 'S1', null), (2, null, 'missing_key'), (3, 'S1', 'duplicate_key'), (4, 'S2', null)"
    )
    con.execute(
        "create table staging.base_ticketing__schedules "
        "(_source_row bigint, quarantine_reason varchar)"
    )
    con.execute("insert into staging.base_ticketing__schedules values (1, null), (2, null)")
    con.execute(
        "create table staging.base_ticketing__sla_policies "
        "(_source_row bigint, quarantine_reason varchar)"
    )
    con.execute("insert into staging.base_ticketing__sla_policies values (1, 'invalid_number')")
    con.close()
    return path


def test_optional_tables_count_their_quarantined_base_rows(tmp_path):
    database = _database(tmp_path / "warehouse.duckdb")
    materialized = {
        "staging/stg_crm__accounts_quarantine",
        "staging/base_ticketing__holidays",
        "staging/base_ticketing__schedules",
        # base_ticketing__sla_policies was not built by this run: its old rows do not count
    }
    counts = _quarantine_counts(database, materialized)
    assert counts == {"crm.accounts": 2, "ticketing.holidays": 2, "ticketing.schedules": 0}


def test_nothing_built_counts_nothing(tmp_path):
    database = _database(tmp_path / "warehouse.duckdb")
    assert _quarantine_counts(database, set()) == {}


def test_the_summary_shows_an_optional_table_count_not_a_dash(tmp_path):
    database = _database(tmp_path / "warehouse.duckdb")
    outcome = JobOutcome(
        success=False,
        published=False,
        settings=make_settings(tmp_path),
        landing=tmp_path / "landing",
        seconds=1.0,
    )
    outcome.rows_loaded = {"ticketing.holidays": 4}
    outcome.rows_quarantined = _quarantine_counts(database, {"staging/base_ticketing__holidays"})
    line = next(x for x in outcome.summary().splitlines() if "ticketing.holidays" in x)
    assert line.split() == ["ticketing.holidays", "4", "2"]

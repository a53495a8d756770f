"""The `quality` schema of the serving database: the run's check results, for the data-quality
report page and for BI users who want to see what was checked.

The one place that knows these tables' columns: publishing writes them, and the report
renderer uses ``EXPECTATION_RESULT_COLUMNS`` for a run whose results it is handed directly.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

CHECK_RESULT_COLUMNS: dict[str, str] = {
    "asset": "varchar",
    "check_name": "varchar",
    "check_source": "varchar",
    "severity": "varchar",
    "passed": "boolean",
    "description": "varchar",
}
EXPECTATION_RESULT_COLUMNS: dict[str, str] = {
    "layer": "varchar",
    "suite": "varchar",
    "relation": "varchar",
    "expectation": "varchar",
    "column_name": "varchar",
    "severity": "varchar",
    "success": "boolean",
    "unexpected_count": "bigint",
    "sample": "varchar",
    "notes": "varchar",
}


# What BI users read about these tables (COMMENTs in the serving database, like the dbt docs
# of the other published tables).
TABLE_DESCRIPTIONS: dict[str, str] = {
    "check_results": "One row per asset check evaluated in the run that published this data "
    "(dbt tests and Great Expectations suites, key (asset, check_name)): whether it passed. "
    "Checks of severity error block publishing, so in a published release every error passed.",
    "expectation_results": "One row per Great Expectations expectation evaluated in the run "
    "that published this data (key (layer, suite, expectation, column_name)): raw tables "
    "before dbt, marts and metrics before publishing; with the offending values of a failure.",
}
COLUMN_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "check_results": {
        "asset": "The Dagster asset checked, e.g. `marts/customers` or `raw/crm/accounts`.",
        "check_name": "The check: a dbt test's name, or `ge_<suite>` (`_warnings`) for a "
        "Great Expectations suite's error (warning) expectations.",
        "check_source": "`dbt` or `great_expectations`.",
        "severity": "`error` (a failure blocks publishing) or `warning` (published, listed).",
        "passed": "True when the check passed.",
        "description": "What was checked or what failed, in words (at most 2,000 characters).",
    },
    "expectation_results": {
        "layer": "`raw` (before dbt) or `marts` (marts and metrics, before publishing).",
        "suite": "The suite, named after its table (`expectations/<layer>/<suite>.json`).",
        "relation": "The table checked, e.g. `raw_crm.accounts`, `marts.tickets`.",
        "expectation": "The Great Expectations expectation type, e.g. "
        "`expect_column_values_to_not_be_null`.",
        "column_name": "The column checked; NULL for a table-level expectation.",
        "severity": "`error` (a failure blocks publishing) or `warning` (published, listed).",
        "success": "True when the expectation was met.",
        "unexpected_count": "Rows that broke the expectation; NULL for an aggregate one.",
        "sample": "Up to five offending values as a JSON list, as delivered; NULL when none.",
        "notes": "Why the expectation exists and its threshold, from the suite file.",
    },
}


def expectation_rows(quality_dir: Path) -> list[tuple]:
    """One row per expectation evaluated in a run, from its check results files."""
    rows = []
    for path in sorted(Path(quality_dir).glob("*.json")):
        for suite in json.loads(path.read_text())["suites"]:
            for e in suite["expectations"]:
                # an error expectation that failed on a few bad rows only did not block: it is
                # published as the warning it was (quality/gates.py)
                tolerated = not e["success"] and e.get("blocking") is False
                rows.append(
                    (
                        path.stem,
                        suite["suite"],
                        suite["relation"],
                        e["expectation"],
                        e["column"],
                        "warning" if tolerated else e["severity"],
                        bool(e["success"]),
                        e["unexpected_count"],
                        json.dumps(e["sample"], default=str) if e["sample"] else None,
                        e.get("notes") or None,
                    )
                )
    return rows


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _create(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, str], rows) -> None:
    ddl = ", ".join(f"{name} {kind}" for name, kind in columns.items())
    con.execute(f"create or replace table quality.{table} ({ddl})")
    if rows:
        marks = ", ".join("?" for _ in columns)
        con.executemany(f"insert into quality.{table} values ({marks})", rows)
    con.execute(f"comment on table quality.{table} is {_quoted(TABLE_DESCRIPTIONS[table])}")
    for name, text in COLUMN_DESCRIPTIONS[table].items():
        con.execute(f"comment on column quality.{table}.{name} is {_quoted(text)}")


def write_quality_tables(database: Path, checks: list[tuple], expectations: list[tuple]) -> None:
    """Add the run's check results to a (staged) serving database, schema `quality`."""
    con = duckdb.connect(str(database))
    try:
        # one transaction: a commit per inserted row and per comment cost a second or more
        con.execute("begin")
        con.execute("create schema if not exists quality")
        _create(con, "check_results", CHECK_RESULT_COLUMNS, checks)
        _create(con, "expectation_results", EXPECTATION_RESULT_COLUMNS, expectations)
        con.execute("commit")
        con.execute("checkpoint")
    finally:
        con.close()

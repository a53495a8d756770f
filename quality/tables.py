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


def expectation_rows(quality_dir: Path) -> list[tuple]:
    """One row per expectation evaluated in a run, from its check results files."""
    rows = []
    for path in sorted(Path(quality_dir).glob("*.json")):
        for suite in json.loads(path.read_text())["suites"]:
            for e in suite["expectations"]:
                rows.append(
                    (
                        path.stem,
                        suite["suite"],
                        suite["relation"],
                        e["expectation"],
                        e["column"],
                        e["severity"],
                        bool(e["success"]),
                        e["unexpected_count"],
                        json.dumps(e["sample"], default=str) if e["sample"] else None,
                        e.get("notes") or None,
                    )
                )
    return rows


def _create(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, str], rows) -> None:
    ddl = ", ".join(f"{name} {kind}" for name, kind in columns.items())
    con.execute(f"create or replace table quality.{table} ({ddl})")
    if rows:
        marks = ", ".join("?" for _ in columns)
        con.executemany(f"insert into quality.{table} values ({marks})", rows)


def write_quality_tables(database: Path, checks: list[tuple], expectations: list[tuple]) -> None:
    """Add the run's check results to a (staged) serving database, schema `quality`."""
    con = duckdb.connect(str(database))
    try:
        con.execute("create schema if not exists quality")
        _create(con, "check_results", CHECK_RESULT_COLUMNS, checks)
        _create(con, "expectation_results", EXPECTATION_RESULT_COLUMNS, expectations)
        con.execute("checkpoint")
    finally:
        con.close()

"""What the golden mart tests share: the handwritten landing folder, the as-of date, the dbt
selection, and readers of the built warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.dbt_helpers import run_dbt

GOLDEN = Path(__file__).parent.parent / "fixtures" / "golden"
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


def dbt_build(db: Path, work: Path, args: list[str], select: str = SELECT) -> None:
    """`dbt build` in-process against `db`: `select` and the tests whose parents it all holds."""
    run_dbt(db, work, "build", "--select", select, "--indirect-selection", "cautious", *args)


def fetch_rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def rows_by_key(con, table: str, key: str, columns: list[str]) -> dict:
    cols = ", ".join([key, *columns])
    return {
        r[key]: tuple(r[c] for c in columns)
        for r in fetch_rows(con, f"select {cols} from {table} order by {key}")
    }

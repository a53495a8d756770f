"""Run dbt in-process against a throwaway DuckDB warehouse (shared by the build tests)."""

from __future__ import annotations

import contextlib
import gc
import math
import time
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]


def release_duckdb() -> None:
    """dbt-duckdb keeps its DuckDB instance open in-process after a run; close it so that the
    test can open the file and the next build can open another one."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            with contextlib.suppress(Exception):
                DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None
    gc.collect()


RAW_SCHEMA_VARIABLES = ("CXW_RAW_CRM_SCHEMA", "CXW_RAW_TICKETING_SCHEMA", "CXW_RAW_SURVEY_SCHEMA")


def run_dbt(database: Path, work: Path, *args: str, target_path: Path | None = None) -> float:
    """Run a dbt command in-process against `database`; fail with dbt's errors; seconds.

    The sources read the raw schemas the loader writes (any CXW_RAW_*_SCHEMA of the calling
    environment is ignored). dbt writes to `target_path` (default `<work>/target-<db stem>`)
    and logs to `<work>/logs`, never to the project's target/."""
    from dbt.cli.main import dbtRunner

    started = time.perf_counter()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CXW_DUCKDB_PATH", str(database))
        mp.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        mp.setenv("DBT_TARGET", "duckdb")
        mp.setenv("DBT_PROFILES_DIR", str(REPO))
        for name in RAW_SCHEMA_VARIABLES:
            mp.delenv(name, raising=False)
        mp.chdir(REPO)
        try:
            result = dbtRunner().invoke(
                [
                    *args,
                    "--project-dir", str(REPO),
                    "--profiles-dir", str(REPO),
                    "--target-path", str(target_path or work / f"target-{database.stem}"),
                    "--log-path", str(work / "logs"),
                    "--quiet",
                ]
            )  # fmt: skip
        finally:
            release_duckdb()
    if not result.success:
        failures = [
            f"{r.node.unique_id}: {r.status} {r.message}"
            for r in getattr(result.result, "results", None) or []
            if str(r.status) not in ("success", "pass", "warn")
        ]
        pytest.fail(f"dbt {' '.join(args)} failed: {result.exception}\n" + "\n".join(failures))
    return time.perf_counter() - started


def query(database: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def tables(database: Path, schemas: tuple[str, ...]) -> list[str]:
    """`schema.table` of every base table in `schemas`, sorted."""
    listed = ", ".join(f"'{s}'" for s in schemas)
    return [
        f"{schema}.{name}"
        for schema, name in query(
            database,
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in ({listed}) and table_type = 'BASE TABLE' "
            "order by 1, 2",
        )
    ]


def normalised(value: Any) -> Any:
    if isinstance(value, float) and not math.isnan(value):
        return float(f"{value:.12g}")  # the same figure summed in another order
    return value


def table_rows(database: Path, table: str, exclude: tuple[str, ...] = ()) -> Counter:
    """The rows of `table` as a multiset (order-independent), doubles to 12 digits."""
    columns = f"* exclude ({', '.join(exclude)})" if exclude else "*"
    return Counter(
        tuple(normalised(v) for v in row)
        for row in query(database, f"select {columns} from {table}")
    )


def difference(table: str, a: Counter, b: Counter, a_name: str, b_name: str) -> str | None:
    """None when the two multisets of rows are equal; else a line saying how they differ."""
    if a == b:
        return None
    return (
        f"{table}: {sum((a - b).values())} rows only {a_name}, "
        f"{sum((b - a).values())} only {b_name}; e.g. "
        f"{list((a - b).elements())[:2]} vs {list((b - a).elements())[:2]}"
    )

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


def run_dbt(database: Path, work: Path, *args: str) -> float:
    """Run a dbt command in-process against `database`; fail with dbt's errors; seconds."""
    from dbt.cli.main import dbtRunner

    started = time.perf_counter()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CXW_DUCKDB_PATH", str(database))
        mp.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        mp.setenv("DBT_TARGET", "duckdb")
        mp.setenv("DBT_PROFILES_DIR", str(REPO))
        mp.chdir(REPO)
        try:
            result = dbtRunner().invoke(
                [
                    *args,
                    "--project-dir", str(REPO),
                    "--profiles-dir", str(REPO),
                    "--target-path", str(work / f"target-{database.stem}"),
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

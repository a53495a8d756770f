"""Run dbt in-process against a throwaway DuckDB warehouse (shared by the build tests)."""

from __future__ import annotations

import atexit
import contextlib
import copy
import dataclasses
import gc
import math
import os
import shutil
import tempfile
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


# dbt commands that read the project's manifest (those it parses first)
MANIFEST_COMMANDS = frozenset({"build", "run", "test", "seed", "compile", "show", "list", "ls"})
# what a parse writes that the tests read back from the target path
PARSE_ARTIFACTS = ("manifest.json", "semantic_manifest.json")
_MANIFESTS: dict[tuple, tuple[Any, Path]] = {}
_PARSE_DIR: Path | None = None


def _manifest_key(database: Path, args: tuple[str, ...]) -> tuple:
    """What the parsed project depends on besides its files: the warehouse's name (DuckDB
    names the catalog after the file: `target.database`, in every node's relation), the
    command line's --vars, and the environment the project and profile read (CXW_*, DBT_*;
    the warehouse's path counts by its name only)."""
    cli_vars = [
        a if a.startswith("--vars=") else f"--vars={args[i + 1]}"
        for i, a in enumerate(args)
        if a.startswith("--vars=") or (a == "--vars" and i + 1 < len(args))
    ]
    environment = sorted(
        (k, v)
        for k, v in os.environ.items()
        if k.startswith(("CXW_", "DBT_")) and k != "CXW_DUCKDB_PATH"
    )
    return (database.stem, tuple(cli_vars), tuple(environment))


def _parsed_manifest(database: Path, work: Path, args: tuple[str, ...]) -> tuple[Any, Path]:
    """A fresh copy of the project's manifest as dbt parses it for this warehouse, vars and
    environment, and the folder holding that parse's manifest files. The project is parsed
    once per key in a session (a full parse is about 10 s of CPU; every test's own target
    path would make each command parse afresh); each command gets its own copy, since dbt
    marks nodes as compiled in the manifest it runs with."""
    from dbt.cli.main import dbtRunner

    global _PARSE_DIR
    key = _manifest_key(database, args)
    if key not in _MANIFESTS:
        if _PARSE_DIR is None:
            _PARSE_DIR = Path(tempfile.mkdtemp(prefix="cxw-dbt-parse-"))
            atexit.register(shutil.rmtree, _PARSE_DIR, ignore_errors=True)
        parsed_in = _PARSE_DIR / f"parse-{len(_MANIFESTS)}"
        vars_args = [v for a in key[1] for v in ("--vars", a.removeprefix("--vars="))]
        result = dbtRunner().invoke(
            [
                "parse", *vars_args,
                "--project-dir", str(REPO),
                "--profiles-dir", str(REPO),
                "--target-path", str(parsed_in),
                "--log-path", str(work / "logs"),
                "--no-partial-parse",
                "--quiet",
            ]
        )  # fmt: skip
        release_duckdb()
        if not result.success:
            pytest.fail(f"dbt parse failed: {result.exception}")
        _MANIFESTS[key] = (result.result, parsed_in)
    manifest, parsed_in = _MANIFESTS[key]
    return _copy_manifest(manifest), parsed_in


def _copy_manifest(manifest: Any) -> Any:
    """A deep copy of a dbt Manifest: its data fields in one deepcopy (shared objects stay
    shared), its lookups and lock new. (Manifest.deepcopy fails on disabled nodes, and
    pickling it drops a field in dbt-core 1.11.)"""
    data = {
        f.name: getattr(manifest, f.name)
        for f in dataclasses.fields(manifest)
        if not f.name.startswith("_")
    }
    return type(manifest)(**copy.deepcopy(data))


def run_dbt(database: Path, work: Path, *args: str, target_path: Path | None = None) -> float:
    """Run a dbt command in-process against `database`; fail with dbt's errors; seconds.

    The sources read the raw schemas the loader writes (any CXW_RAW_*_SCHEMA of the calling
    environment is ignored). dbt writes to `target_path` (default `<work>/target-<db stem>`)
    and logs to `<work>/logs`, never to the project's target/. The project is parsed once
    per warehouse name, vars and environment in a session (`_parsed_manifest`); the
    target path gets that parse's manifest.json and semantic_manifest.json, as if this
    command had parsed."""
    from dbt.cli.main import dbtRunner

    target = target_path or work / f"target-{database.stem}"
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
            runner = dbtRunner()
            if args and args[0] in MANIFEST_COMMANDS:
                manifest, parsed_in = _parsed_manifest(database, work, args)
                target.mkdir(parents=True, exist_ok=True)
                for name in PARSE_ARTIFACTS:
                    shutil.copy2(parsed_in / name, target / name)
                runner = dbtRunner(manifest=manifest)
            result = runner.invoke(
                [
                    *args,
                    "--project-dir", str(REPO),
                    "--profiles-dir", str(REPO),
                    "--target-path", str(target),
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


def query(database: Path, sql: str, params: list | None = None) -> list[tuple]:
    """The rows of one query on a DuckDB file, opened read-only and closed again."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
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


def columns(database: Path, table: str) -> set[str]:
    """The column names of `schema.table` in a DuckDB file."""
    return {
        c
        for (c,) in query(
            database,
            "select column_name from information_schema.columns "
            "where table_schema || '.' || table_name = ?",
            [table],
        )
    }


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

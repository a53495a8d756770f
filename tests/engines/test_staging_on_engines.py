"""The same staging SQL gives the same rows on PostgreSQL and Spark as on DuckDB.

For each engine: load tests/fixtures/mini with ``orchestration.engines.load_landing_into``,
run ``dbt build --select path:models/staging resource_type:seed --target <engine>`` in a
subprocess, then compare every ``stg_`` model's rows and every quarantine model's reasons
with the same build on DuckDB. Values are compared after normalising types: timestamps as
naive UTC, decimals as floats (relative tolerance 1e-9).

Timings (load, build, total) are printed: ``pytest -m "postgres or spark" -s tests/engines``.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow.csv as pacsv
import pytest

from orchestration.contract import TABLES
from orchestration.engines import (
    PostgresSettings,
    SparkSettings,
    load_landing_into,
    spark_session,
)
from orchestration.landing import LandingError, load_landing

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "mini"
DBT = Path(sys.executable).with_name("dbt")
SELECT = "path:models/staging resource_type:seed"
STAGING_SCHEMA = "staging"
REL_TOL = 1e-9

STAGING_MODELS = sorted(p.stem for p in (REPO / "models" / "staging").rglob("stg_*.sql"))
VALID_MODELS = [m for m in STAGING_MODELS if not m.endswith("_quarantine")]
QUARANTINE_MODELS = [m for m in STAGING_MODELS if m.endswith("_quarantine")]

Rows = list[dict[str, Any]]


# ------------------------------------------------------------------------------ helpers
def _normalise(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal | float):
        return float(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value
    if isinstance(value, date | int | str):
        return value
    return str(value)


def _rows(columns: list[str], records: list[tuple]) -> Rows:
    names = [c.lower() for c in columns]
    out = [{n: _normalise(v) for n, v in zip(names, r, strict=True)} for r in records]
    return sorted(out, key=lambda r: r["_source_row"])


def run_dbt_build(target: str, workdir: Path, env: dict[str, str]) -> float:
    """``dbt build`` of staging and seeds on ``target`` in a subprocess; returns seconds.

    ``--indirect-selection cautious``: tests on seeds that also read unbuilt marts (e.g. a
    relationships test from a mart to customer_tiers) are left out, as in any partial build.
    """
    full_env = {
        **os.environ,
        **env,
        "DBT_TARGET": target,
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        str(DBT), "build", "--select", SELECT, "--indirect-selection", "cautious",
        "--target", target, "--target-path", str(workdir / "target"),
        "--log-path", str(workdir / "logs"),
    ]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=REPO, env=full_env, capture_output=True, text=True, timeout=3600,
        check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        lines = (done.stdout + done.stderr).splitlines()
        interesting = [ln for ln in lines if "ERROR" in ln or "FAIL" in ln or "Error" in ln]
        pytest.fail(
            f"dbt build --target {target} failed ({done.returncode}):\n"
            + "\n".join(interesting[:40])
            + "\n--- last lines ---\n"
            + "\n".join(lines[-40:]),
            pytrace=False,
        )
    return seconds


def read_duckdb(database: Path) -> dict[str, Rows]:
    import duckdb

    con = duckdb.connect(str(database), read_only=True)
    try:
        out = {}
        for model in STAGING_MODELS:
            cur = con.execute(f"select * from {STAGING_SCHEMA}.{model}")
            out[model] = _rows([d[0] for d in cur.description], cur.fetchall())
        return out
    finally:
        con.close()


def read_postgres(settings: PostgresSettings) -> dict[str, Rows]:
    con = settings.connect()
    try:
        out = {}
        with con.cursor() as cur:
            for model in STAGING_MODELS:
                cur.execute(f"select * from {STAGING_SCHEMA}.{model}")
                out[model] = _rows([d[0] for d in cur.description], cur.fetchall())
        return out
    finally:
        con.close()


def read_spark(settings: SparkSettings) -> dict[str, Rows]:
    out = {}
    with spark_session(settings) as session:
        for model in STAGING_MODELS:
            # via Arrow: timestamps arrive zone-aware (UTC), whatever this process's zone
            table = session.table(f"{STAGING_SCHEMA}.{model}").toArrow()
            out[model] = _rows(table.column_names, [tuple(r.values()) for r in table.to_pylist()])
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float | int) and not isinstance(b, bool):
        return math.isclose(a, float(b), rel_tol=REL_TOL)
    if isinstance(b, float) and isinstance(a, int) and not isinstance(a, bool):
        return math.isclose(float(a), b, rel_tol=REL_TOL)
    return a == b


def compare(engine: str, got: dict[str, Rows], expected: dict[str, Rows]) -> list[str]:
    """Every difference between an engine's staging and DuckDB's, as readable lines."""
    problems: list[str] = []
    for model in VALID_MODELS:
        want, have = expected[model], got[model]
        if len(want) != len(have):
            problems.append(f"{model}: {len(have)} rows on {engine}, {len(want)} on duckdb")
            continue
        if want and set(want[0]) != set(have[0]):
            problems.append(
                f"{model}: columns {sorted(have[0])} on {engine}, {sorted(want[0])} on duckdb"
            )
            continue
        for w, h in zip(want, have, strict=True):
            for column, value in w.items():
                if not _same(value, h[column]):
                    problems.append(
                        f"{model} row {w['_source_row']} {column}: {h[column]!r} on {engine}, "
                        f"{value!r} on duckdb"
                    )
    for model in QUARANTINE_MODELS:
        want = {r["_source_row"]: r["quarantine_reason"] for r in expected[model]}
        have = {r["_source_row"]: r["quarantine_reason"] for r in got[model]}
        if len(have) != len(got[model]) or want != have:
            problems.append(f"{model}: reasons {have} on {engine}, {want} on duckdb")
    return problems


# ------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def duckdb_reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rows]:
    """The staging build on DuckDB, the engine the others are held to."""
    work = tmp_path_factory.mktemp("duckdb")
    database = work / "warehouse.duckdb"
    load_landing(MINI, database)
    seconds = run_dbt_build("duckdb", work, {"CXW_DUCKDB_PATH": str(database)})
    print(f"\n[timing] duckdb mini: build {seconds:.1f} s")
    reference = read_duckdb(database)
    assert all(reference[m] for m in VALID_MODELS), "the mini fixture left a stg_ model empty"
    assert all(reference[m] for m in QUARANTINE_MODELS), "a quarantine model is empty"
    return reference


def _load_and_build(
    engine: str, request: pytest.FixtureRequest, work: Path
) -> tuple[dict[str, Rows], dict[str, int]]:
    started = time.perf_counter()
    if engine == "postgres":
        settings = request.getfixturevalue("postgres_cluster")
        result = load_landing_into("postgres", MINI, postgres=settings)
        env = settings.env()
    else:
        settings = request.getfixturevalue("spark_settings")
        result = load_landing_into("spark", MINI, spark=settings)
        env = settings.env()
    loaded = time.perf_counter()
    build_seconds = run_dbt_build(engine, work, env)
    rows = read_postgres(settings) if engine == "postgres" else read_spark(settings)
    print(
        f"\n[timing] {engine} mini: load {loaded - started:.1f} s, build {build_seconds:.1f} s,"
        f" total with read-back {time.perf_counter() - started:.1f} s"
    )
    return rows, result.rows


ENGINES = [
    pytest.param("postgres", marks=pytest.mark.postgres),
    pytest.param("spark", marks=pytest.mark.spark),
]


# ------------------------------------------------------------------------------ tests
@pytest.mark.parametrize("engine", ENGINES)
def test_staging_matches_duckdb(
    engine: str,
    request: pytest.FixtureRequest,
    duckdb_reference: dict[str, Rows],
    tmp_path: Path,
):
    rows, raw_rows = _load_and_build(engine, request, tmp_path)
    # the loader put every delivered row into the raw tables
    for t in TABLES:
        delivered = pacsv.read_csv(MINI / t.system / f"{t.name}.csv").num_rows
        assert raw_rows[t.qualified] == delivered, t.qualified
    problems = compare(engine, rows, duckdb_reference)
    assert not problems, f"{engine} staging differs from duckdb:\n" + "\n".join(problems)


@pytest.mark.postgres
def test_postgres_raw_tables_are_text_with_lineage(postgres_cluster: PostgresSettings):
    load_landing_into("postgres", MINI, postgres=postgres_cluster)
    con = postgres_cluster.connect()
    try:
        with con.cursor() as cur:
            cur.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'raw_crm' and table_name = 'accounts' "
                "order by ordinal_position"
            )
            columns = dict(cur.fetchall())
            cur.execute(
                "select account_id, crm_owner, _source_file, _source_row "
                "from raw_crm.accounts order by _source_row"
            )
            rows = cur.fetchall()
    finally:
        con.close()
    assert list(columns)[-4:] == ["_source_file", "_source_row", "_batch_id", "_loaded_at"]
    assert columns["_source_row"] == "bigint"
    assert columns["_loaded_at"] == "timestamp without time zone"
    assert {columns[c] for c in columns if not c.startswith("_")} == {"text"}
    assert rows[0] == ("A1", "ana", "crm/accounts.csv", 1)
    assert rows[4][0] is None  # a blank field is NULL, not ''


@pytest.mark.postgres
def test_postgres_bad_landing_loads_nothing(postgres_cluster: PostgresSettings, tmp_path: Path):
    import shutil

    landing = tmp_path / "landing"
    shutil.copytree(MINI, landing)
    load_landing_into("postgres", landing, postgres=postgres_cluster)
    (landing / "survey" / "answers.csv").write_text("response_id,numeric_value\nR1,3\n")
    with pytest.raises(LandingError, match="question_id"):
        load_landing_into("postgres", landing, postgres=postgres_cluster)
    con = postgres_cluster.connect()
    try:
        with con.cursor() as cur:
            cur.execute("select count(*) from raw_survey.answers")
            assert cur.fetchone()[0] == 11  # the previous load, intact
    finally:
        con.close()

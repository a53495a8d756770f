"""Equal figures everywhere (issue 7, item 2): the whole project built on PostgreSQL and on
Spark gives the same tables and the same headline snapshot as on DuckDB.

One landing folder for every engine: the demo data (``demo_data.generator.generate``,
ACCOUNTS accounts, 12 months) with the rows of ``tests/fixtures/mini`` appended to each file
(its hostile values: duplicate and missing keys, unparseable timestamps and booleans, unknown
codes, orphans, scores off their scale), so one build per engine covers staging's parsing and
quarantine as well as every mart and metric. Each engine gets it through the project's own
loader (``ingest.landing.load_landing_into``, as `cxw load --target` runs it),
then one ``dbt build`` in a subprocess, shared by the tests of this module:

- DuckDB, the reference: seeds and every model (its data and unit tests run in the rest
  of the suite);
- PostgreSQL: everything, data and unit tests included (they add about 20 s);
- Spark: seeds and every model, on a Spark standalone cluster the tests start (one master
  and two workers on 127.0.0.1, ``spark_cluster`` in clusters.py): the loader, ``dbt build``
  (the profile's session method with ``CXW_SPARK_MASTER=spark://127.0.0.1:<port>``) and the
  read-back each run as an application of the cluster, their tasks on the workers'
  executors, the Derby metastore in the driver, the warehouse a temp dir both see. That the
  work really ran on the workers, not in a silently local session, is a test of its own.
  Data and unit tests are left out: each is a Spark job of a second or more, together
  several minutes, and what they would find on Spark (a key no longer unique, a figure that
  differs) the comparison with DuckDB finds.

Compared with DuckDB, per engine:
- every relation of the schemas ``reference``, ``staging``, ``marts`` and ``metrics``: the
  same names, the same columns, the same row count and the same rows, order-independently.
  Text, booleans, integers, dates and timestamps exactly (timestamps as naive UTC); numbers
  (decimals, doubles) within 1e-9 relative (summation order differs between engines);
- the headline snapshot (``snapshot.write_snapshot`` read from each engine): byte-identical
  ``headline.json`` and ``headline.csv``.
Left out of the comparison: the raw lineage column ``_loaded_at`` (the wall-clock time of
each engine's load), which the quarantine tables carry as delivered. The reading back and
comparing is in ``tests/engines/comparison.py``.

Timings (load, build, read-back) are printed: ``pytest -s -m "postgres or spark"
tests/engines``.
"""

from __future__ import annotations

import csv
import dataclasses
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from demo_data.generator import generate
from ingest.contract import OPTIONAL_TABLES, TABLES
from ingest.landing import load_landing_into
from ingest.postgres_loader import PostgresSettings
from ingest.spark_loader import SparkSettings, spark_session
from publishing.snapshot import HEADLINE_CSV, HEADLINE_JSON, write_snapshot
from tests.engines.comparison import Build, compare, read_relations, report
from tests.engines.spark_cluster import WORKERS, SparkStandaloneCluster

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "mini"
DBT = Path(sys.executable).with_name("dbt")

ACCOUNTS = 150
DEMO = {"accounts": ACCOUNTS, "seed": 7, "end_date": date(2026, 10, 31), "months": 12}
COMPARED_SCHEMAS = ("reference", "staging", "marts", "metrics")
NO_TESTS = ("--exclude", "resource_type:test", "resource_type:unit_test")


# ------------------------------------------------------------------------------ landing
def add_mini_rows(landing: Path) -> dict[str, int]:
    """Append the mini fixture's rows to every landing CSV (a column either file lacks is
    left empty, i.e. NULL); the mini ids (A1, T1, ...) are not the demo's (ACC-..., TKT-...).
    Returns the rows of each file, by ``system.table``, the optional tables' files included."""
    delivered = {}
    for t in TABLES:
        path = landing / t.system / f"{t.name}.csv"
        with path.open(newline="", encoding="utf-8") as fh:
            demo = list(csv.DictReader(fh))
            header = list(demo[0]) if demo else []
        with (MINI / t.system / f"{t.name}.csv").open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            header += [c for c in reader.fieldnames or [] if c not in header]
            mini = list(reader)
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=header, restval="")
            writer.writeheader()
            writer.writerows(demo + mini)
        delivered[t.qualified] = len(demo) + len(mini)
    for t in OPTIONAL_TABLES:  # delivered as the demo wrote them (the mini fixture has none)
        path = landing / t.system / f"{t.name}.csv"
        if path.exists():
            with path.open(newline="", encoding="utf-8") as fh:
                delivered[t.qualified] = sum(1 for _ in csv.DictReader(fh))
    return delivered


# ------------------------------------------------------------------------------ dbt
def run_dbt_build(target: str, workdir: Path, env: dict[str, str], *extra: str) -> float:
    """``dbt build`` of the whole project on ``target`` in a subprocess; returns seconds.

    The sources read the raw schemas the loader wrote: CXW_RAW_*_SCHEMA are not passed on."""
    full_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CXW_RAW_")},
        **env,
        "DBT_TARGET": target,
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        str(DBT), "build", *extra, "--target", target,
        "--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs"),
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


# ------------------------------------------------------------------------------ reading
def write_headline(build: Build, con: Any, out_dir: Path) -> None:
    write_snapshot(con, out_dir)
    build.snapshot = {
        name: (out_dir / name).read_text(encoding="utf-8") for name in (HEADLINE_JSON, HEADLINE_CSV)
    }


def read_duckdb(database: Path, out_dir: Path) -> Build:
    import duckdb

    build = Build("duckdb")
    con = duckdb.connect(str(database), read_only=True)
    try:
        listed = ", ".join(f"'{s}'" for s in COMPARED_SCHEMAS)
        relations = [
            f"{schema}.{name}"
            for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables "
                f"where table_schema in ({listed}) order by 1, 2"
            ).fetchall()
        ]

        def fetch(sql: str) -> tuple[list[str], list[tuple]]:
            cur = con.execute(sql)
            return [d[0] for d in cur.description], cur.fetchall()

        read_relations(build, relations, fetch)
        write_headline(build, con, out_dir)
    finally:
        con.close()
    return build


def read_postgres(settings: PostgresSettings, out_dir: Path) -> Build:
    build = Build("postgres")
    con = settings.connect()
    try:
        with con.cursor() as cur:
            cur.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_schema = any(%s) order by 1, 2",
                [list(COMPARED_SCHEMAS)],
            )
            relations = [f"{schema}.{name}" for schema, name in cur.fetchall()]

            def fetch(sql: str) -> tuple[list[str], list[tuple]]:
                cur.execute(sql)
                return [d[0] for d in cur.description], cur.fetchall()

            read_relations(build, relations, fetch)
        write_headline(build, con, out_dir)
    finally:
        con.close()
    return build


SPARK_APPS = {"load": "cxw-load", "build": "cxw-dbt", "read": "cxw-read"}  # names on the master


def read_spark(
    settings: SparkSettings,
    out_dir: Path,
    observe: Callable[[Any], dict[str, Any]] | None = None,
) -> Build:
    """Read back from Spark; ``observe(session)``, called before the session stops, says
    where it ran (``Build.runtime``)."""
    build = Build("spark")
    with spark_session(settings, app_name=SPARK_APPS["read"]) as session:
        relations = sorted(
            f"{schema}.{row.tableName}"
            for schema in COMPARED_SCHEMAS
            for row in session.sql(f"show tables in {schema}").collect()
            if not row.isTemporary
        )

        def fetch(sql: str) -> tuple[list[str], list[tuple]]:
            # via Arrow: timestamps arrive zone-aware (UTC), whatever this process's zone
            table = session.sql(sql).toArrow()
            return table.column_names, [tuple(r.values()) for r in table.to_pylist()]

        read_relations(build, relations, fetch)
        write_headline(build, session, out_dir)
        if observe is not None:
            build.runtime = observe(session)
    return build


def observe_cluster(session: Any, cluster: SparkStandaloneCluster) -> dict[str, Any]:
    """The session's master and executors, and the master's own view of its application and
    workers, while the session still runs."""
    context = session.sparkContext
    executor_ids = context._jsc.sc().getExecutorIds()  # a Scala Seq; the driver not among them
    return {
        "master": context.master,
        "executors": sorted(executor_ids.apply(i) for i in range(executor_ids.size())),
        "master_app": cluster.applications(SPARK_APPS["read"]),
        "workers_cores_used": [w["coresused"] for w in cluster.alive_workers()],
    }


# ------------------------------------------------------------------------------ comparing


# ------------------------------------------------------------------------------ fixtures
@dataclass(frozen=True)
class Landing:
    folder: Path
    delivered: dict[str, int]  # rows of each file, by system.table


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Landing:
    folder = tmp_path_factory.mktemp("engines") / "landing"
    generate(folder, file_format="csv", **DEMO)
    return Landing(folder, add_mini_rows(folder))


def build_on(
    engine: str,
    work: Path,
    load: Callable[[], dict[str, int]],
    env: dict[str, str],
    dbt_args: tuple[str, ...],
    read: Callable[[Path], Build],
) -> Build:
    """Load, ``dbt build``, read back; the timings are printed."""
    started = time.perf_counter()
    raw_rows = load()
    loaded = time.perf_counter()
    build_seconds = run_dbt_build(engine, work, env, *dbt_args)
    built = time.perf_counter()
    build = read(work / "snapshot")
    build.raw_rows = raw_rows
    build.seconds = {
        "load": loaded - started,
        "build": build_seconds,
        "read-back": time.perf_counter() - built,
        "total": time.perf_counter() - started,
    }
    timings = ", ".join(f"{k} {v:.1f} s" for k, v in build.seconds.items())
    built_what = "without tests" if dbt_args == NO_TESTS else "with tests"
    where = f" on {env['CXW_SPARK_MASTER']}" if "CXW_SPARK_MASTER" in env else ""
    print(f"\n[timing] {engine}{where} ({ACCOUNTS} accounts, dbt build {built_what}): {timings}")
    return build


@pytest.fixture(scope="module")
def duckdb_build(landing: Landing, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The build on DuckDB, the engine the others are held to."""
    work = tmp_path_factory.mktemp("duckdb")
    database = work / "warehouse.duckdb"
    build = build_on(
        "duckdb",
        work,
        lambda: load_landing_into("duckdb", landing.folder, database=database).rows,
        {"CXW_DUCKDB_PATH": str(database)},
        NO_TESTS,
        lambda out: read_duckdb(database, out),
    )
    for schema in ("marts", "metrics"):
        assert any(r.startswith(f"{schema}.") for r in build.rows), f"no {schema} table built"
    # the scale is small, but every figure is there to compare
    assert build.rows["marts.touchpoint_events"], "the demo landing built no touchpoint events"
    (headline,) = build.rows["metrics.headline"]
    empty = [
        c for c, v in zip(build.columns["metrics.headline"], headline, strict=True) if v is None
    ]
    assert not empty, f"headline figures NULL at {ACCOUNTS} accounts: {empty}"
    return build


@pytest.fixture(scope="module")
def postgres_build(
    landing: Landing, postgres_cluster: PostgresSettings, tmp_path_factory: pytest.TempPathFactory
) -> Build:
    return build_on(
        "postgres",
        tmp_path_factory.mktemp("postgres"),
        lambda: load_landing_into("postgres", landing.folder, postgres=postgres_cluster).rows,
        postgres_cluster.env(),
        (),  # everything: data and unit tests too
        lambda out: read_postgres(postgres_cluster, out),
    )


@pytest.fixture(scope="module")
def spark_build(
    landing: Landing,
    spark_settings: SparkSettings,
    spark_cluster: SparkStandaloneCluster,
    tmp_path_factory: pytest.TempPathFactory,
) -> Build:
    """Built on the standalone cluster (instead of a local session, not as well: one Spark
    build is what the test's time allows); load, dbt and read-back all on its master."""
    settings = dataclasses.replace(spark_settings, master=spark_cluster.master_url)
    return build_on(
        "spark",
        tmp_path_factory.mktemp("spark"),
        lambda: load_landing_into("spark", landing.folder, spark=settings).rows,
        settings.env(),
        NO_TESTS,
        lambda out: read_spark(settings, out, lambda s: observe_cluster(s, spark_cluster)),
    )


ENGINES = [
    pytest.param("postgres", marks=pytest.mark.postgres),
    pytest.param("spark", marks=pytest.mark.spark),
]


# ------------------------------------------------------------------------------ tests
@pytest.mark.parametrize("engine", ENGINES)
def test_tables_match_duckdb(
    engine: str, request: pytest.FixtureRequest, landing: Landing, duckdb_build: Build
):
    build: Build = request.getfixturevalue(f"{engine}_build")
    assert build.raw_rows == landing.delivered, "the loader lost or added raw rows"
    problems = compare(build, duckdb_build)
    assert not problems, report(engine, problems)


@pytest.mark.parametrize("engine", ENGINES)
def test_headline_snapshot_matches_duckdb(
    engine: str, request: pytest.FixtureRequest, duckdb_build: Build
):
    build: Build = request.getfixturevalue(f"{engine}_build")
    for name, text in duckdb_build.snapshot.items():
        assert build.snapshot[name] == text, f"{engine} {name} differs from duckdb's"


@pytest.mark.spark
def test_spark_build_ran_on_the_cluster(spark_build: Build, spark_cluster: SparkStandaloneCluster):
    """The Spark figures above come from the cluster's workers, not a silently local session:
    the read-back session's master is the cluster's, with one executor per worker, and the
    master counts its cores as used; the master lists the loader's, dbt's and the read-back's
    applications, and the workers' executor logs hold their finished tasks (dbt's on both
    workers)."""
    runtime = spark_build.runtime
    assert runtime["master"] == spark_cluster.master_url, runtime
    assert len(runtime["executors"]) == WORKERS, f"executors of the read-back: {runtime}"
    (app,) = runtime["master_app"]
    assert app["state"] == "RUNNING" and app["cores"] == WORKERS, app
    assert runtime["workers_cores_used"] == [1] * WORKERS, runtime

    for step, name in SPARK_APPS.items():
        apps = spark_cluster.applications(name)
        assert len(apps) == 1, f"the master lists {len(apps)} applications called {name}"
        tasks = spark_cluster.finished_tasks(apps[0]["id"])
        print(f"[cluster] {step} ({name}, {apps[0]['id']}): tasks finished per worker {tasks}")
        if step == "build":
            assert all(tasks.values()), f"dbt's tasks did not run on every worker: {tasks}"
        else:
            assert sum(tasks.values()) > 0, f"no task of the {step} ran on a worker: {tasks}"

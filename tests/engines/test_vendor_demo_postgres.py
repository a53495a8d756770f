"""The vendor-shaped demo in place on PostgreSQL (issue 15, item 5): equal figures.

One small vendor-shaped demo (``demo_data.vendors.generate_vendor_demo``: ticketing from
Zendesk, CRM from Salesforce, surveys from Qualtrics, in their Fivetran shapes; the optional
support-operations data left out, as tests/adapters/test_vendor_demo_equal.py does) is loaded
by the project's own loader (``ingest.landing.load_landing_into``, as `cxw load --target`
runs it) into DuckDB and into a throwaway PostgreSQL cluster, where the vendor tables land in
schemas named as Fivetran names them (``zendesk``, ``salesforce``, ``qualtrics``). Each is
built once with ``dbt build`` reading the vendor sources (CXW_<SYSTEM>_SOURCE), models only
(the vendor demo's data tests run on DuckDB in tests/adapters/test_vendor_demo_equal.py), and
every relation of the compared schemas (``reference``, ``staging``, ``marts``, ``metrics``)
and the headline snapshot are held to DuckDB's with tests/engines/comparison.py: the same
rows order-independently, numbers within 1e-9 relative. Timings are printed (``-s``).
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from demo_data.vendors import SYSTEM_OF, generate_vendor_demo
from ingest.landing import load_landing_into
from ingest.postgres_loader import PostgresSettings
from tests.engines.comparison import Build, compare, report
from tests.engines.test_engines_agree import NO_TESTS, read_duckdb, read_postgres, run_dbt_build

VENDORS = ("zendesk", "salesforce", "qualtrics")
DEMO = {
    "accounts": 250,
    "seed": 11,
    "file_format": "csv",
    "end_date": date(2026, 10, 31),
    "months": 12,
    "support_operations": False,
}
SOURCES = {f"CXW_{SYSTEM_OF[v].upper()}_SOURCE": v for v in VENDORS}


def _schema_tables(settings: PostgresSettings) -> dict[str, set[str]]:
    con = settings.connect()
    try:
        with con.cursor() as cur:
            cur.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_schema = any(%s)",
                [list(VENDORS)],
            )
            found: dict[str, set[str]] = {}
            for schema, name in cur.fetchall():
                found.setdefault(schema, set()).add(name)
            return found
    finally:
        con.close()


def _timed(engine: str, steps: dict[str, float]) -> None:
    timings = ", ".join(f"{k} {v:.1f} s" for k, v in steps.items())
    print(f"\n[timing] vendor demo on {engine} ({DEMO['accounts']} accounts): {timings}")


@pytest.mark.postgres
def test_vendor_demo_on_postgres_equals_duckdb(postgres_cluster: PostgresSettings, tmp_path: Path):
    landing = tmp_path / "landing"
    generate_vendor_demo(landing, list(VENDORS), **DEMO)
    # the vendor systems are delivered in their vendors' folders only
    for vendor in VENDORS:
        assert (landing / vendor).is_dir() and not (landing / SYSTEM_OF[vendor]).exists()

    # DuckDB, the reference
    work = tmp_path / "duckdb"
    database = work / "warehouse.duckdb"
    work.mkdir()
    started = time.perf_counter()
    duck_rows = load_landing_into("duckdb", landing, database=database).rows
    loaded = time.perf_counter()
    env = {"CXW_DUCKDB_PATH": str(database), **SOURCES}
    build_seconds = run_dbt_build("duckdb", work, env, *NO_TESTS)
    duckdb: Build = read_duckdb(database, work / "snapshot")
    _timed("duckdb", {"load": loaded - started, "build": build_seconds})

    # PostgreSQL: the vendor tables in the schemas Fivetran names
    work = tmp_path / "postgres"
    work.mkdir()
    started = time.perf_counter()
    pg_rows = load_landing_into("postgres", landing, postgres=postgres_cluster).rows
    loaded = time.perf_counter()
    vendor_tables = _schema_tables(postgres_cluster)
    assert set(vendor_tables) == set(VENDORS), vendor_tables
    assert {"ticket", "ticket_comment"} <= vendor_tables["zendesk"]
    assert "account" in vendor_tables["salesforce"]
    build_seconds = run_dbt_build(
        "postgres", work, {**postgres_cluster.env(), **SOURCES}, *NO_TESTS
    )
    postgres = read_postgres(postgres_cluster, work / "snapshot")
    _timed("postgres", {"load": loaded - started, "build": build_seconds})

    assert pg_rows == duck_rows, "the loaders loaded different rows"
    # the vendor sources were read, and every vendor row is accounted for, on both engines
    for build in (duckdb, postgres):
        conservation = build.rows["marts.vendor_row_conservation"]
        columns = build.columns["marts.vendor_row_conservation"]
        tables = {row[columns.index("vendor_table")] for row in conservation}
        assert {"zendesk.ticket", "salesforce.account"} <= tables, (build.engine, tables)
        assert all(row[columns.index("is_conserved")] for row in conservation), build.engine
        assert build.rows["marts.touchpoint_events"], f"{build.engine}: no touchpoint events"
    (headline,) = duckdb.rows["metrics.headline"]
    assert None not in headline, "headline figures NULL on the vendor demo"

    compared = [r for r in duckdb.rows if r.split(".")[0] in ("marts", "metrics")]
    assert len(compared) >= 20, f"only {len(compared)} marts and metrics relations built"
    print(f"[compared] {len(duckdb.rows)} relations, {len(compared)} of marts and metrics")
    problems = compare(postgres, duckdb)
    assert not problems, report("postgres", problems)
    for name, text in duckdb.snapshot.items():
        assert postgres.snapshot[name] == text, f"postgres {name} differs from duckdb's"

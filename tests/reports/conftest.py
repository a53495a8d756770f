"""A small demo warehouse, built once for the report tests, and its serving database.

The build is the real one (demo data -> loader -> `dbt build` of seeds and models), at 300
accounts. The serving database gets the published schemas, like the publish step makes it,
plus a `quality` schema with check results; a second copy has hostile text planted in the
data, for the escaping tests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from lib.settings import PROJECT_DIR
from report_site import PAGES_DIR
from report_site.pages import load_pages
from report_site.sandbox import load_sources, open_sandbox

ACCOUNTS = 300
PUBLISHED_SCHEMAS = ("marts", "metrics", "reference")
HOSTILE_NAME = (
    'Cancellation <script>console.error("xss-script")</script>'
    '<img src=x onerror=console.error("xss-img")>'
)


@dataclass(frozen=True)
class Warehouse:
    working: Path  # what dbt built (raw data included: the PII reference)
    serving: Path  # published schemas + quality.expectation_results
    bare: Path  # published schemas only: no check results
    hostile: Path  # serving + hostile text in a touchpoint name and a check
    missing: list[str]  # source tables the serving database does not have (yet)


def _dbt(project_env: dict[str, str], tmp: Path) -> subprocess.CompletedProcess:
    """Seeds and models only: the report tests read tables, not test results (the data tests
    run on demo data in the main job's tests), and a failing data test would skip the models
    downstream of it."""
    dbt = Path(sys.executable).with_name("dbt")
    return subprocess.run(
        [
            str(dbt),
            "build",
            "--resource-type",
            "seed",
            "--resource-type",
            "model",
            "--target-path",
            str(tmp / "target"),
            "--log-path",
            str(tmp / "logs"),
        ],
        cwd=PROJECT_DIR,
        env=project_env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )


def _copy_published(working: Path, target: Path) -> None:
    con = duckdb.connect(str(target))
    try:
        con.execute(f"attach '{working}' as work (read_only)")
        relations = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = 'work' "
            "union all select schema_name, view_name from duckdb_views() "
            "where database_name = 'work' and not internal"
        ).fetchall()
        for schema, name in relations:
            if schema in PUBLISHED_SCHEMAS:
                con.execute(f'create schema if not exists "{schema}"')
                con.execute(f'create table "{schema}"."{name}" as from work."{schema}"."{name}"')
        con.execute("detach work")
    finally:
        con.close()


def _add_check_results(serving: Path, extra: list[tuple] = ()) -> None:
    rows = [
        ("raw", "raw_crm__accounts", "raw_crm.accounts", "expect_column_values_to_not_be_null",
         "account_id", "error", True, 0, None, None),
        ("raw", "raw_crm__contacts", "raw_crm.contacts", "expect_column_values_to_match_regex",
         "email", "warning", False, 3, '["jane.doe@example.com", "+33 612345678"]', None),
        ("raw", "raw_survey__answers", "raw_survey.answers", "expect_column_values_to_be_between",
         "numeric_value", "warning", True, 0, None, None),
        *extra,
    ]  # fmt: skip
    con = duckdb.connect(str(serving))
    try:
        con.execute("create schema if not exists quality")
        con.execute(
            "create table quality.expectation_results (layer varchar, suite varchar, "
            "relation varchar, expectation varchar, column_name varchar, severity varchar, "
            "success boolean, unexpected_count bigint, sample varchar, notes varchar)"
        )
        con.executemany(
            "insert into quality.expectation_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
        )
        # The run's checks, as the publish step writes them: what CONTEXT's header counts
        # (41 passed, 2 warned, 0 failed), so the header and the data-quality page agree.
        con.execute(
            "create table quality.check_results (asset varchar, check_name varchar, "
            "check_source varchar, severity varchar, passed boolean, description varchar)"
        )
        checks = [
            ("marts/customers", f"dbt_test_{i}", "dbt", "error", True, None) for i in range(39)
        ] + [
            ("raw/crm/accounts", "ge_raw_crm__accounts", "great_expectations", "error", True, None),
            ("raw/crm/contacts", "ge_raw_crm__contacts", "great_expectations", "error", True, None),
            ("raw/crm/contacts", "ge_raw_crm__contacts_warnings", "great_expectations", "warning",
             False, None),
            ("marts/tickets", "dbt_warn_test", "dbt", "warning", False, None),
        ]  # fmt: skip
        con.executemany("insert into quality.check_results values (?, ?, ?, ?, ?, ?)", checks)
    finally:
        con.close()


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    from demo_data.generator import generate
    from ingest.landing import load_landing

    tmp = tmp_path_factory.mktemp("report-warehouse")
    landing, working = tmp / "landing", tmp / "warehouse.duckdb"
    generate(landing, accounts=ACCOUNTS)
    load_landing(landing, working)
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "CXW_DUCKDB_PATH": str(working),
        "DBT_TARGET": "duckdb",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    build = _dbt(env, tmp)

    bare = tmp / "serving-bare.duckdb"
    _copy_published(working, bare)
    # Skip (loudly) only when a table the pages read is missing; a failing unrelated dbt test
    # does not stop the report tests.
    pages = load_pages(PAGES_DIR)
    read = {
        name
        for page in pages
        for query in page.queries
        for name in re.findall(r"warehouse\.(\w+)", query.sql)
    }
    con, missing = open_sandbox(bare, load_sources(PAGES_DIR.parent / "sources"))
    con.close()
    needed = sorted(read & {m.split(".", 1)[1] for m in missing})
    if needed:
        pytest.skip(
            f"the demo warehouse lacks tables the report pages read: {', '.join(needed)}; "
            f"dbt build exit {build.returncode}:\n{build.stdout[-2000:]}"
        )

    serving = tmp / "serving.duckdb"
    shutil.copy(bare, serving)
    _add_check_results(serving)

    hostile = tmp / "serving-hostile.duckdb"
    shutil.copy(bare, hostile)
    _add_check_results(
        hostile,
        [("marts", "<b>marts__touchpoints</b>", "marts.touchpoints",
          '<script>console.error("xss-check")</script>', "touchpoint_name", "error", False, 1,
          None, None)],
    )  # fmt: skip
    con = duckdb.connect(str(hostile))
    try:
        # The conformed catalog and the hotspot metric marts (the Hotspots page reads the
        # touchpoint name from those) carry the same hostile name.
        for table in ("marts.touchpoints", "metrics.hotspots", "metrics.hotspots_monthly"):
            con.execute(
                f"update {table} set touchpoint_name = ? where touchpoint_code = 'cancellation'",
                [HOSTILE_NAME],
            )
    finally:
        con.close()
    return Warehouse(working, serving, bare, hostile, missing)


@dataclass(frozen=True)
class Site:
    out: Path
    pages: list[Path]
    context: dict


CONTEXT = {
    "run_id": "0123456789abcdef-report-tests",
    "checks": {"passed": 41, "warned": 2, "failed": 0},
    "generated_at": "2026-11-01 06:00 UTC",
}


@pytest.fixture(scope="session")
def site(warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Site:
    from report_site import render_site

    out = tmp_path_factory.mktemp("report-site")
    return Site(out, render_site(PAGES_DIR, warehouse.serving, out, CONTEXT), CONTEXT)


@pytest.fixture(scope="session")
def hostile_site(warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Site:
    from report_site import render_site

    out = tmp_path_factory.mktemp("report-site-hostile")
    return Site(out, render_site(PAGES_DIR, warehouse.hostile, out, CONTEXT), CONTEXT)

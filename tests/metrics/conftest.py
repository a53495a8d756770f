"""Shared fixtures of the metric tests: a warehouse built through the real pipeline.

A landing folder (the handwritten golden fixture under tests/fixtures/metrics, or generated
demo data) is loaded with ingest.landing.load_landing into a temporary DuckDB file, and
dbt builds it in-process (dbtRunner) with fixed vars and its own target path, so nothing
touches the project's target/ or data/. The target path is `<tmp>/mf_project/target`: next to
a copy of dbt_project.yml and profiles.yml, that folder is a project MetricFlow (`mf`) can be
pointed at (DBT_PROJECT_DIR) without reading the shared target/semantic_manifest.json.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from ingest.landing import load_landing
from tests.dbt_helpers import run_dbt

PROJECT_DIR = Path(__file__).resolve().parents[2]
GOLDEN_LANDING = PROJECT_DIR / "tests" / "fixtures" / "metrics"

# The golden fixture's vars: a fixed as-of date (never the latest event by accident) and a
# min_sample small enough that a cell of 2 answers is a full sample and 1 is a low sample.
GOLDEN_VARS = {"as_of_date": "2026-03-31", "min_sample": 2}


@dataclass
class Warehouse:
    """A built warehouse: its database and the project folder MetricFlow can read."""

    database: Path
    mf_project: Path
    vars: dict

    @property
    def target_path(self) -> Path:
        return self.mf_project / "target"

    def dbt(self, *args: str) -> None:
        """Run a dbt command in-process against this warehouse; fail the test if it fails."""
        run_dbt(
            self.database,
            self.mf_project,
            *args,
            "--vars",
            repr(self.vars),
            target_path=self.target_path,
        )

    def rows(self, sql: str, params: list | None = None) -> list[dict]:
        """Rows of a query as dicts (a short-lived read-only connection: dbt may write later)."""
        con = duckdb.connect(str(self.database), read_only=True)
        try:
            cursor = con.execute(sql, params or [])
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            con.close()

    def one(self, sql: str, params: list | None = None) -> dict:
        rows = self.rows(sql, params)
        assert len(rows) == 1, f"expected one row, got {len(rows)}: {sql}"
        return rows[0]


def build_warehouse(landing: Path, workdir: Path, dbt_vars: dict, *dbt_args: str) -> Warehouse:
    """Load ``landing`` into a fresh DuckDB file under ``workdir`` and run dbt on it."""
    workdir.mkdir(parents=True, exist_ok=True)
    database = workdir / "warehouse.duckdb"
    mf_project = workdir / "mf_project"
    mf_project.mkdir(exist_ok=True)
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(PROJECT_DIR / name, mf_project / name)
    load_landing(landing, database)
    warehouse = Warehouse(database=database, mf_project=mf_project, vars=dict(dbt_vars))
    warehouse.dbt(*(dbt_args or ("build",)))
    return warehouse


@pytest.fixture(scope="session")
def warehouse_builder():
    """build_warehouse, for modules that build a warehouse of their own (e.g. demo data)."""
    return build_warehouse


@pytest.fixture(scope="session")
def golden(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The golden fixture, built once per session with `dbt build` (models and their tests)."""
    return build_warehouse(
        GOLDEN_LANDING, tmp_path_factory.mktemp("metrics-golden"), GOLDEN_VARS, "build"
    )

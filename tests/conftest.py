"""Shared fixtures: one small demo warehouse built by the real main job, reused by every test
that only reads it (publishing, checks, reports), so the suite builds it once."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from lib.settings import Settings

# one PostgreSQL cluster and one Spark session/cluster per test session, for every folder
from tests.engines.clusters import (  # noqa: F401
    postgres_cluster,
    postgres_server,
    spark_cluster,
    spark_settings,
)

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "true")

DEMO = {
    "accounts": 150,
    "seed": 7,
    "file_format": "csv",
    "bad_row_share": 0.002,
    "end_date": dt.date(2026, 10, 31),
    "months": 12,
}


def make_settings(data) -> Settings:
    return Settings(
        data_dir=data,
        landing_dir=data / "landing",
        database=data / "warehouse.duckdb",
        serving_database=data / "serving.duckdb",
        publish_dir=data / "published",
        quality_dir=data / "quality",
        dagster_home=data / "dagster",
        target="duckdb",
    )


@pytest.fixture(scope="session")
def demo_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return make_settings(tmp_path_factory.mktemp("cxw-demo"))


@pytest.fixture(scope="session")
def demo_run(demo_settings: Settings):
    """The main job on a 150-account demo: generate, load, build, check, publish."""
    from cli.run_job import run_main_job

    outcome = run_main_job(demo_settings, demo=DEMO)
    assert outcome.success, outcome.summary()
    return outcome


def pytest_configure(config: pytest.Config) -> None:
    """Under `./cxw test` (pytest-xdist, `--dist loadgroup`): the tests go to the workers in
    groups that keep each shared fixture on one worker, heaviest first (tests/parallel.py)."""
    if config.pluginmanager.hasplugin("xdist"):
        from tests.parallel import FixtureGroups

        config.pluginmanager.register(FixtureGroups(config), "cxw-fixture-groups")

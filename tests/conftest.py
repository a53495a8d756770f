"""Shared fixtures: one small demo warehouse built by the real main job, reused by every test
that only reads it (publishing, checks, reports), so the suite builds it once."""

from __future__ import annotations

import datetime as dt
import importlib.machinery
import os
import sys

import pytest

from lib.settings import Settings

# one PostgreSQL cluster and one Spark session/cluster per test session, for every folder
from tests.engines.clusters import (  # noqa: F401
    postgres_cluster,
    postgres_server,
    spark_cluster,
    spark_settings,
)

# the main job run again on a copy of the demo, shared by test_main_job and test_staging_guard
from tests.reruns import seed_changed_rerun  # noqa: F401

# A pytest-xdist worker runs as `python -c ...`: its __main__ has neither a spec nor a file,
# which pyspark.sql.connect takes for a doctest run and answers with sys.exit(0) when Great
# Expectations imports it (its pyspark compatibility module). A spec named __main__ tells it
# otherwise; multiprocessing's spawn then re-imports nothing for __main__ (as with `-m`).
if os.environ.get("PYTEST_XDIST_WORKER"):
    _main = sys.modules["__main__"]
    if getattr(_main, "__spec__", None) is None and not hasattr(_main, "__file__"):
        _main.__spec__ = importlib.machinery.ModuleSpec("__main__", None)

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

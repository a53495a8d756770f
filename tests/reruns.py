"""A second run of the main job on a copy of the shared demo (``demo_run``), made once per
session for two modules that both need the main job run again on the same landing:

- tests/test_main_job.py: running twice on the same landing gives identical results;
- tests/test_staging_guard.py: after a change to what staging was judged with (the record
  names another channel_map), the run rebuilds staging in full and says so.

The copy of the demo's data folder has a record of its own naming another channel_map, and
a staged row altered as if judged with another seed (``ALTERED``): the run rebuilds staging
in full (as a copy without a record would: "no record yet"), so its marts and metrics equal
the demo's, and the altered rows are right again. One run instead of two (each is a whole
main job: generate nothing, load, build, check, publish).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from lib.settings import Settings

SEED = "reference seed channel_map"
ALTERED = (
    "update staging.base_ticketing__tickets set channel = 'social' "
    "where channel_code = 'chat' and channel = 'chat'"
)
STILL_ALTERED = (
    "select count(*) filter (where channel = 'social'), count(*) "
    "from staging.base_ticketing__tickets where channel_code = 'chat'"
)


def alter_staged_rows(database: Path) -> int:
    """Apply ``ALTERED``; returns the rows it changed."""
    con = duckdb.connect(str(database))
    try:
        return con.execute(ALTERED).fetchone()[0]
    finally:
        con.close()


def copy_data(source: Settings, data: Path) -> Settings:
    """A copy of ``source``'s data folder (landing, warehouse, releases) at ``data``."""
    from tests.conftest import make_settings

    shutil.copytree(source.data_dir, data, symlinks=True)
    return make_settings(data)


@dataclass(frozen=True)
class Rerun:
    settings: Settings  # the copy the second run ran on
    outcome: object  # its JobOutcome
    inputs: dict[str, str]  # what the demo run recorded that staging was judged with
    where: str  # the copy's warehouse identity (its record's key)
    altered: int  # staged rows altered before the run


@pytest.fixture(scope="session")
def seed_changed_rerun(demo_run, demo_settings: Settings, tmp_path_factory) -> Rerun:
    """The main job run again on a copy of the demo (its landing as it is), the copy's record
    naming another channel_map and a staged row altered before the run."""
    from cli.run_job import run_main_job
    from lib import staging_guard
    from publishing.state import record_staged_inputs, staged_inputs

    settings = copy_data(demo_settings, tmp_path_factory.mktemp("rerun") / "data")
    demo_where = staging_guard.warehouse_identity(
        "duckdb", {"CXW_DUCKDB_PATH": str(demo_settings.database)}
    )
    inputs = staged_inputs(demo_settings.publish_dir, demo_where)
    assert inputs and SEED in inputs  # the demo run recorded what it staged with
    where = staging_guard.warehouse_identity("duckdb", {"CXW_DUCKDB_PATH": str(settings.database)})
    record_staged_inputs(settings.publish_dir, where, {**inputs, SEED: "another"})
    altered = alter_staged_rows(settings.database)
    outcome = run_main_job(settings, landing=settings.landing_dir)
    return Rerun(settings, outcome, inputs, where, altered)

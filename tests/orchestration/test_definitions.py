"""The Dagster definitions load, and the graph has the shape the gate relies on."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from ingest.contract import TABLES
from orchestration.definitions import defs
from orchestration.schedules import landing_fingerprint, landing_sensor

MINI = Path(__file__).parent.parent / "fixtures" / "mini"


def test_every_raw_table_is_an_asset_with_a_blocking_check():
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    for t in TABLES:
        assert f"raw/{t.system}/{t.name}" in keys
    check_specs = {
        spec.key.name: spec for checks in defs.asset_checks or [] for spec in checks.check_specs
    }
    for t in TABLES:
        spec = check_specs[f"ge_raw_{t.system}__{t.name}"]
        assert spec.blocking, spec.key
        assert spec.asset_key == dg.AssetKey(["raw", t.system, t.name])


def test_dbt_models_sit_between_raw_and_publishing():
    graph = defs.resolve_asset_graph()
    published = dg.AssetKey(["published", "warehouse"])
    upstream = graph.get(published).parent_keys
    assert dg.AssetKey(["staging", "stg_crm__accounts"]) in upstream
    staging = graph.get(dg.AssetKey(["staging", "base_crm__accounts"]))
    assert dg.AssetKey(["raw", "crm", "accounts"]) in staging.parent_keys
    # dbt tests arrive as asset checks on their models
    dbt_checks = [k for k in graph.asset_check_keys if k.asset_key.path[0] == "staging"]
    assert dbt_checks, "no dbt test became an asset check"


def test_job_schedule_and_sensor_are_defined():
    assert defs.resolve_job_def("warehouse_job") is not None
    schedule = defs.resolve_schedule_def("daily_refresh")
    assert schedule.cron_schedule == "0 6 * * *"
    assert schedule.execution_timezone == "UTC"
    assert defs.resolve_sensor_def("landing_sensor") is not None


def test_daily_schedule_requests_a_run():
    schedule = defs.resolve_schedule_def("daily_refresh")
    with dg.build_schedule_context() as context:
        result = schedule.evaluate_tick(context)
    assert len(result.run_requests) == 1


@pytest.fixture
def landing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "landing"
    monkeypatch.setenv("CXW_LANDING_DIR", str(target))
    return target


def test_sensor_waits_for_a_complete_folder(landing: Path):
    landing.mkdir()
    result = landing_sensor(dg.build_sensor_context(cursor=None))
    assert isinstance(result, dg.SkipReason)
    assert "does not hold every contract table" in result.skip_message


def test_sensor_starts_one_run_per_new_delivery(landing: Path):
    shutil.copytree(MINI, landing)
    context = dg.build_sensor_context(cursor=None)
    first = landing_sensor(context)
    assert isinstance(first, dg.RunRequest)
    assert context.cursor == landing_fingerprint(landing)

    again = landing_sensor(dg.build_sensor_context(cursor=context.cursor))
    assert isinstance(again, dg.SkipReason)

    with (landing / "crm" / "accounts.csv").open("a") as fh:
        fh.write("A7,New,smb,ES,2026-01-01T00:00:00Z,\n")
    changed = landing_sensor(dg.build_sensor_context(cursor=context.cursor))
    assert isinstance(changed, dg.RunRequest)
    assert changed.run_key != first.run_key


def test_sensor_starts_a_run_when_only_an_optional_file_changes(landing: Path):
    shutil.copytree(MINI, landing)
    before = landing_fingerprint(landing)
    context = dg.build_sensor_context(cursor=None)
    assert isinstance(landing_sensor(context), dg.RunRequest)

    holidays = landing / "ticketing" / "holidays.csv"
    holidays.write_text("schedule_id,holiday_date,name\nS1,2026-12-25,Christmas\n")
    added = landing_fingerprint(landing)
    assert added != before
    arrived = landing_sensor(dg.build_sensor_context(cursor=context.cursor))
    assert isinstance(arrived, dg.RunRequest)

    with holidays.open("a") as fh:
        fh.write("S1,2026-12-26,Boxing Day\n")
    assert landing_fingerprint(landing) not in (before, added)
    changed = landing_sensor(dg.build_sensor_context(cursor=added))
    assert isinstance(changed, dg.RunRequest)
    assert changed.run_key != arrived.run_key


def test_optional_files_alone_are_not_a_complete_folder(landing: Path):
    (landing / "ticketing").mkdir(parents=True)
    (landing / "ticketing" / "holidays.csv").write_text("schedule_id,holiday_date,name\n")
    assert landing_fingerprint(landing) is None


def test_the_dbt_resource_opens_no_adapter_in_the_job_process():
    """dagster-dbt's in-process adapter only serves column/row-count metadata the warehouse
    never fetches: the job's dbt resource skips it (orchestration/resources.py) and is still
    dagster-dbt's CLI resource, running dbt in its own process."""
    from dagster_dbt import DbtCliResource

    dbt = defs.resources["dbt"]
    assert isinstance(dbt, DbtCliResource)
    assert dbt.dbt_executable.endswith("lib/bin/dbt")
    assert dbt._initialize_dbt_core_adapter(["build"]) is None


def test_the_dbt_version_is_that_of_the_dbt_the_steps_start():
    """The version the dbt resource gives dagster-dbt without running `dbt --version` is the
    one that command prints for the dbt lib/bin/dbt starts (this environment's)."""
    import re
    import subprocess
    import sys

    from packaging import version

    printed = subprocess.check_output([str(Path(sys.executable).with_name("dbt")), "--version"])
    match = re.search(r"(\d+\.\d+\.\d+)", printed.decode("utf-8"))
    assert match, printed
    assert defs.resources["dbt"]._cli_version == version.parse(match.group(1))

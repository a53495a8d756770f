"""One run at a time per data folder (lib/runlock.py): a second run is refused at once, naming
the run that holds the folder and what to do; the lock of a killed run is taken over; the
schedule, the sensor and runs Dagster starts share the lock with `cxw run`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from lib.runlock import RunLocked, acquire, current_holder, lock_path, release, run_lock

ROOT = Path(__file__).resolve().parent.parent

HOLDER = textwrap.dedent(
    """
    import sys, time
    from lib.runlock import acquire
    acquire(sys.argv[1], command="cxw run --accounts 2000")
    print("held", flush=True)
    time.sleep(600)
    """
)


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, Path]]:
    """Another process that holds the lock of the data folder ``tmp_path / 'data'``."""
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "held"
    try:
        yield proc, data
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)


def test_a_second_run_is_refused_at_once_naming_the_holder(holder, monkeypatch, capsys):
    proc, data = holder
    monkeypatch.setenv("CXW_DATA_DIR", str(data))
    for name in ("CXW_LANDING_DIR", "CXW_DUCKDB_PATH", "CXW_SERVING_PATH", "DAGSTER_HOME"):
        monkeypatch.delenv(name, raising=False)
    from cli.main import main

    started = time.perf_counter()
    code = main(["-q", "run", "--accounts", "300"])
    elapsed = time.perf_counter() - started

    assert code == 2
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert line.startswith(f"error: another run is using the data folder {data}")
    assert f"pid {proc.pid}" in line and "`cxw run --accounts 2000`" in line
    assert "started 20" in line and "UTC" in line
    assert f"kill {proc.pid}" in line and "wait for it to finish" in line
    assert elapsed < 1.0
    # nothing was touched: no demo data, no log, no Dagster instance
    assert sorted(p.name for p in data.iterdir()) == [lock_path(data).name]


def test_a_killed_holders_lock_is_taken_over(holder):
    proc, data = holder
    with pytest.raises(RunLocked):
        acquire(data)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    left = acquire(data, command="cxw run")
    try:
        assert left is not None and left.pid == proc.pid  # the dead run, named
        assert current_holder(data).pid == os.getpid()
    finally:
        release(data)
    assert current_holder(data) is None
    # released cleanly: the next run has nothing to take over
    assert acquire(data) is None
    release(data)


def test_the_lock_is_reentrant_within_a_process(tmp_path: Path):
    with run_lock(tmp_path) as outer:
        assert outer is None
        with run_lock(tmp_path) as inner:  # cxw run, then the Dagster run inside it
            assert inner is None
        assert current_holder(tmp_path).pid == os.getpid()  # still held by the outer block
    assert current_holder(tmp_path) is None


def test_schedule_and_sensor_skip_while_a_run_holds_the_folder(holder, monkeypatch):
    proc, data = holder
    monkeypatch.setenv("CXW_DATA_DIR", str(data))
    monkeypatch.setenv("CXW_LANDING_DIR", str(ROOT / "tests" / "fixtures" / "mini"))
    from orchestration.definitions import defs
    from orchestration.schedules import landing_sensor

    schedule = defs.resolve_schedule_def("daily_refresh")
    with dg.build_schedule_context() as context:
        result = schedule.evaluate_tick(context)
    assert not result.run_requests
    assert f"pid {proc.pid}" in result.skip_message

    context = dg.build_sensor_context(cursor="before")
    skipped = landing_sensor(context)
    assert isinstance(skipped, dg.SkipReason)
    assert f"pid {proc.pid}" in skipped.skip_message
    assert context.cursor == "before"  # the delivery starts a run once the folder is free

    proc.kill()
    proc.wait(timeout=30)
    with dg.build_schedule_context() as context:
        assert len(schedule.evaluate_tick(context).run_requests) == 1
    assert isinstance(landing_sensor(dg.build_sensor_context(cursor=None)), dg.RunRequest)


def test_runs_dagster_starts_hold_the_same_lock(holder, tmp_path: Path):
    proc, data = holder
    from orchestration.resources import WarehouseResource
    from orchestration.schedules import warehouse_job
    from tests.conftest import make_settings

    warehouse = WarehouseResource.from_settings(make_settings(data))
    with (
        pytest.raises(RunLocked, match=f"pid {proc.pid}"),
        warehouse.yield_for_execution(dg.build_init_resource_context()),
    ):
        pass
    proc.kill()
    proc.wait(timeout=30)
    with warehouse.yield_for_execution(dg.build_init_resource_context()):
        assert current_holder(data).pid == os.getpid()
    assert current_holder(data) is None
    # the whole run in one process, so that it holds the lock from its first step to its last
    assert warehouse_job.executor_def is dg.in_process_executor

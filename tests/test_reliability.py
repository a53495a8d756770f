"""Readers never see a half-published warehouse: kills during the build or the publication
leave the serving database complete and at the last good version, and a reader holding the
serving database open keeps reading while a new version is built and published."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
DEMO_ARGS = ["--accounts", "120", "--seed", "11", "--months", "12"]


def _env(data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CXW_", "DAGSTER_"))}
    env.update(CXW_DATA_DIR=str(data), DBT_PROFILES_DIR=str(ROOT), **extra)
    return env


def _cxw(data: Path, *args: str, **extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "-q", "run", *DEMO_ARGS, *args],
        cwd=ROOT,
        env=_env(data, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _snapshot(serving: Path) -> dict[str, int]:
    """Row counts of every table, read through a fresh read-only connection."""
    con = duckdb.connect(str(serving), read_only=True)
    try:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() order by 1, 2"
        ).fetchall()
        return {
            f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0]
            for s, t in tables
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("reliability")
    proc = _cxw(data)
    out, _ = proc.communicate(timeout=900)
    assert proc.returncode == 0, out
    return data


def _kill_at(data: Path, point: str, tmp_path: Path) -> str:
    marker = tmp_path / f"{point.replace(':', '_')}.marker"
    proc = _cxw(
        data,
        "--seed",
        "12",  # different data, so a completed publication would be visible
        CXW_FAULT_PAUSE=point,
        CXW_FAULT_MARKER=str(marker),
    )
    deadline = time.monotonic() + 600
    while not marker.exists():
        if proc.poll() is not None:
            pytest.fail(f"the run ended before reaching {point}: {proc.stdout.read()}")
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"the run never reached {point}")
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)  # no clean-up handlers run: as a power cut would
    proc.wait(timeout=60)
    return marker.read_text()


@pytest.mark.parametrize(
    "point",
    ["build:after-raw-load", "publish:before-serving-swap", "publish:before-release-switch"],
)
def test_a_killed_run_leaves_the_last_good_version(published: Path, tmp_path: Path, point: str):
    serving = published / "serving.duckdb"
    before = _snapshot(serving)
    release_before = (published / "published" / "current").resolve()

    _kill_at(published, point, tmp_path)

    current = (published / "published" / "current").resolve()
    if point == "publish:before-release-switch":
        # the serving database was swapped (whole), the release link not yet: both readable
        assert _snapshot(serving)
        assert current == release_before
    else:
        assert _snapshot(serving) == before
        assert current == release_before
    assert (current / "release.json").exists()


def test_the_next_run_cleans_up_after_a_kill(published: Path, tmp_path: Path):
    _kill_at(published, "publish:before-serving-swap", tmp_path)
    leftovers = list(published.glob(".serving.duckdb.*.tmp*"))
    assert leftovers, "the kill should have left the staged database behind"
    proc = _cxw(published)
    out, _ = proc.communicate(timeout=900)
    assert proc.returncode == 0, out
    assert not list(published.glob(".serving.duckdb.*.tmp*"))
    assert not list((published / "published" / "releases").glob(".*.partial"))


READER = textwrap.dedent(
    """
    import sys, time, duckdb
    path, stop = sys.argv[1], sys.argv[2]
    con = duckdb.connect(path, read_only=True)   # a BI tool that keeps its connection
    reads = 0
    import os
    while not os.path.exists(stop):
        n = con.execute("select count(*) from marts.customers").fetchone()[0]
        assert n > 0
        reads += 1
        time.sleep(0.05)
    fresh = duckdb.connect(path, read_only=True)  # a new connection sees the new version
    fresh.execute("select count(*) from marts.customers").fetchone()
    print(reads)
    """
)


def test_a_reader_is_never_blocked_by_a_build_and_publish(published: Path, tmp_path: Path):
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(published / "serving.duckdb"), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1)
    release_before = (published / "published" / "current").resolve()
    run = _cxw(published, "--seed", "13")
    out, _ = run.communicate(timeout=900)
    stop.write_text("stop")
    reads, errors = reader.communicate(timeout=120)
    assert run.returncode == 0, out
    assert reader.returncode == 0, errors
    assert int(reads) > 10
    assert (published / "published" / "current").resolve() != release_before

"""Readers never see a half-published warehouse: kills during the build or the publication
leave the serving database complete and at the last good version, and a reader holding the
serving database open keeps reading while a new version is built and published.

Every test starts from one prepared state, the last good version: the shared demo warehouse
the main job built and published (`demo_run`, tests/conftest.py). Each kill runs `cxw run` as
a subprocess on its own copy of that state, with a delivery of other data (so a completed
publication would be visible), and kills it with SIGKILL where it pauses at the named fault
point; the three killed runs run at the same time. The run after a kill works on a copy of
the state the kill at publish:before-serving-swap left, with a reader holding the serving
database open from before it starts until after it has published: the same run shows that
leftovers are cleaned up and that the reader is never blocked.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from demo_data.generator import generate
from tests.conftest import DEMO

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
POINTS = ["build:after-raw-load", "publish:before-serving-swap", "publish:before-release-switch"]
# The next deliveries: as many accounts as the last good version (fewer would trip the
# row-count collapse check, and the run would stop before publishing), other seeds.
KILLED_RUN_SEED, NEXT_RUN_SEED = 12, 13


def _env(data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CXW_", "DAGSTER_"))}
    env.update(CXW_DATA_DIR=str(data), DBT_PROFILES_DIR=str(ROOT), **extra)
    return env


def _cxw(data: Path, landing: Path, log: Path, **extra: str) -> subprocess.Popen:
    """`cxw run` on `landing` into the data folder `data`; its output goes to `log`."""
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "cli.main", "-q", "run", "--landing", str(landing)],
            cwd=ROOT,
            env=_env(data, **extra),
            stdout=out,
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


def _current(data: Path) -> Path:
    return (data / "published" / "current").resolve()


def _leftovers(data: Path) -> list[Path]:
    """What an interrupted publication leaves: a staged serving database, a partial release."""
    return sorted(data.glob(".serving.duckdb.*.tmp*")) + sorted(
        (data / "published" / "releases").glob(".*.partial")
    )


def _delivery(folder: Path, seed: int) -> Path:
    generate(folder, **{**DEMO, "seed": seed})
    return folder


@pytest.fixture(scope="module")
def last_good(demo_run, demo_settings) -> Path:
    """The data folder of the last good version; the tests copy it and never change it."""
    assert demo_run.published, demo_run.summary()
    return demo_settings.data_dir


@pytest.fixture(scope="module")
def deliveries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reliability-landing")
    return {
        "killed": _delivery(folder / "killed", KILLED_RUN_SEED),
        "next": _delivery(folder / "next", NEXT_RUN_SEED),
    }


@dataclass(frozen=True)
class Killed:
    data: Path  # the data folder of the killed run: a copy of the last good version
    serving_before: dict[str, int]  # its serving database before the run
    release_before: Path  # the release `current` pointed to before the run
    paused_at: str  # what the run wrote when it paused at the fault point


@pytest.fixture(scope="module")
def kills(last_good: Path, deliveries: dict[str, Path], tmp_path_factory) -> dict[str, Killed]:
    """One run killed at each fault point, each on its own copy of the last good version.

    The runs share nothing (each has its own data folder, databases and Dagster instance), so
    they run at the same time; each is killed with SIGKILL, no clean-up handlers run (as a
    power cut would), as soon as it pauses at its point."""
    started = {}
    for point in POINTS:
        work = tmp_path_factory.mktemp("killed")
        data = work / "data"
        shutil.copytree(last_good, data, symlinks=True)
        before = (_snapshot(data / "serving.duckdb"), _current(data))
        marker, log = work / "paused.marker", work / "run.log"
        proc = _cxw(
            data,
            deliveries["killed"],
            log,
            CXW_FAULT_PAUSE=point,
            CXW_FAULT_MARKER=str(marker),
            CXW_FAULT_SECONDS="1800",  # paused until killed, however slow the polling
        )
        started[point] = (proc, marker, log, data, before)
    killed: dict[str, Killed] = {}
    try:
        deadline = time.monotonic() + 1800
        while len(killed) < len(started):
            for point, (proc, marker, log, data, before) in started.items():
                if point in killed:
                    continue
                if marker.exists():
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=60)
                    assert proc.returncode == -signal.SIGKILL
                    killed[point] = Killed(data, *before, paused_at=marker.read_text())
                elif proc.poll() is not None:
                    pytest.fail(f"the run ended before reaching {point}: {log.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"runs never reached {sorted(set(started) - set(killed))}")
            time.sleep(0.2)
    finally:
        for proc, *_ in started.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=60)
    return killed


@pytest.mark.parametrize("point", POINTS)
def test_a_killed_run_leaves_the_last_good_version(kills: dict[str, Killed], point: str):
    killed = kills[point]
    assert killed.paused_at.split()[1] == point  # killed where the test says
    serving = _snapshot(killed.data / "serving.duckdb")
    current = _current(killed.data)
    # the serving database and the release switch as one: a kill before the switch leaves
    # both at the last good version (before, a kill between the two renames left the new
    # serving database beside the old release)
    assert serving == killed.serving_before
    assert current == killed.release_before
    released = json.loads((current / "release.json").read_text())["tables"]
    assert {k: serving[k] for k in released} == released  # the database of that release


READER = textwrap.dedent(
    """
    import sys, time, duckdb
    path, stop, ready = sys.argv[1], sys.argv[2], sys.argv[3]
    con = duckdb.connect(path, read_only=True)   # a BI tool that keeps its connection
    reads = 0
    import os
    while not os.path.exists(stop):
        n = con.execute("select count(*) from marts.customers").fetchone()[0]
        assert n > 0
        reads += 1
        if reads == 1:
            open(ready, "w").close()
        time.sleep(0.05)
    fresh = duckdb.connect(path, read_only=True)  # a new connection sees the new version
    fresh.execute("select count(*) from marts.customers").fetchone()
    print(reads)
    """
)


@dataclass(frozen=True)
class NextRun:
    data: Path
    leftovers_before: list[Path]  # what the kill left behind, seen before the run
    release_before: Path
    returncode: int
    output: str
    reader_returncode: int
    reads: str
    reader_errors: str


@pytest.fixture(scope="module")
def next_run(kills: dict[str, Killed], deliveries: dict[str, Path], tmp_path_factory) -> NextRun:
    """The run after a kill at publish:before-serving-swap (on a copy of the state that kill
    left), with a new delivery; a reader holds the serving database open from before the run
    starts until it has built and published."""
    killed = kills["publish:before-serving-swap"]
    work = tmp_path_factory.mktemp("next-run")
    data = work / "data"
    shutil.copytree(killed.data, data, symlinks=True)
    leftovers_before, release_before = _leftovers(data), _current(data)

    stop, ready = work / "stop", work / "ready"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(data / "serving.duckdb"), str(stop), str(ready)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    log, run = work / "run.log", None
    try:
        deadline = time.monotonic() + 120
        while not ready.exists():  # the reader holds the database open before the run starts
            if reader.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the reader never read: {reader.stderr.read()}")
            time.sleep(0.1)
        run = _cxw(data, deliveries["next"], log)
        run.wait(timeout=900)
        stop.write_text("stop")
        reads, errors = reader.communicate(timeout=120)
    finally:
        if run is not None and run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait(timeout=60)
        if reader.poll() is None:
            reader.kill()
            reader.wait(timeout=60)
    return NextRun(
        data=data,
        leftovers_before=leftovers_before,
        release_before=release_before,
        returncode=run.returncode,
        output=log.read_text(),
        reader_returncode=reader.returncode,
        reads=reads,
        reader_errors=errors,
    )


def test_the_next_run_cleans_up_after_a_kill(next_run: NextRun):
    # the staged serving database is part of the staged release (a hidden .partial folder)
    staged = [p for p in next_run.leftovers_before if p.name.endswith(".partial")]
    assert staged, "the kill should have left the staged database behind"
    assert next_run.returncode == 0, next_run.output
    assert not _leftovers(next_run.data)


def test_a_reader_is_never_blocked_by_a_build_and_publish(next_run: NextRun):
    assert next_run.returncode == 0, next_run.output
    assert next_run.reader_returncode == 0, next_run.reader_errors
    assert int(next_run.reads) > 10
    assert _current(next_run.data) != next_run.release_before

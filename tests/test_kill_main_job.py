"""A `kill -9` of `cxw run` takes its `dbt build` with it (lib/childguard.py): nothing keeps
holding the working database, and a re-run right after the kill gets it at once.

Only the main job's own process is killed (not its process group, as a terminal's Ctrl-C or
a test harness would): that is what a user's `kill -9 <pid>`, an OOM kill or a crashed
supervisor does, and what used to leave dbt running for most of a minute.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from demo_data.generator import generate
from tests.conftest import DEMO

ROOT = Path(__file__).resolve().parent.parent
GUARDED_DBT = ROOT / "lib" / "bin" / "dbt"  # what orchestration/resources.py gives dagster-dbt


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CXW_", "DAGSTER_"))}
    env.update(CXW_DATA_DIR=str(data), DBT_PROFILES_DIR=str(ROOT))
    return env


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _holds(pid: int, path: Path) -> bool:
    try:
        fds = list((Path("/proc") / str(pid) / "fd").iterdir())
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(fd) == str(path):
                return True
        except OSError:
            continue
    return False


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


PARENT = textwrap.dedent(
    """
    import subprocess, sys, time
    child = subprocess.Popen([sys.argv[1], "600"])  # as dagster-dbt starts dbt
    print(child.pid, flush=True)
    time.sleep(600)
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_guarded_program_dies_with_its_parent():
    """lib/bin/dbt, with a stand-in for dbt: a SIGKILL of the parent ends the child."""
    env = {**os.environ, "CXW_GUARD_PYTHON": sys.executable, "CXW_GUARDED_PROGRAM": "/bin/sleep"}
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(GUARDED_DBT)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    child = int(parent.stdout.readline())
    try:
        deadline = time.monotonic() + 30
        while "sleep" not in _cmdline(child):  # the guard has exec'd the program
            assert time.monotonic() < deadline and _alive(child)
            time.sleep(0.05)
        parent.kill()
        parent.wait(timeout=30)
        deadline = time.monotonic() + 5
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(child), "the guarded program outlived its parent"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)
        if parent.poll() is None:
            parent.kill()


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux /proc")
def test_kill_9_of_the_main_job_ends_its_dbt_build(tmp_path: Path):
    landing = tmp_path / "landing"
    generate(landing, **DEMO)
    data = tmp_path / "data"
    warehouse = data / "warehouse.duckdb"
    log = (tmp_path / "run.log").open("w")
    run = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "-q", "run", "--landing", str(landing)],
        cwd=ROOT,
        env=_env(data),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # the test's own safety net: its group is killed at the end
    )
    dbt = None
    try:
        deadline = time.monotonic() + 1200
        while dbt is None:
            assert run.poll() is None, (tmp_path / "run.log").read_text()
            assert time.monotonic() < deadline, "dbt build never started"
            for child in _children(run.pid):
                if " build " in _cmdline(child) and _holds(child, warehouse):
                    dbt = child  # dbt build, with the working database open
            time.sleep(0.2)

        os.kill(run.pid, signal.SIGKILL)  # the main job only, not its process group
        run.wait(timeout=60)
        killed_at = time.monotonic()
        while _alive(dbt) and time.monotonic() - killed_at < 10:
            time.sleep(0.1)
        assert not _alive(dbt), f"dbt build (pid {dbt}) outlived the main job by 10 s"

        # a re-run right away: the working database is free, and the run lock is taken over
        duckdb.connect(str(warehouse)).close()
        rerun = subprocess.run(
            [sys.executable, "-m", "cli.main", "load", "--landing", str(landing)],
            cwd=ROOT,
            env=_env(data),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert rerun.returncode == 0, rerun.stderr
        assert f"took over the run lock of pid {run.pid}" in rerun.stderr
    finally:
        log.close()
        if run.poll() is None:
            run.kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, signal.SIGKILL)
        run.wait(timeout=60)

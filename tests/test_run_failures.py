"""A failed run ends with its summary, and the summary opens with the one line that says what
to do: the loader's own message (file and line), not the innermost Python exception; a full
disk is reported as such (where, what is free, about what a run needs); stack traces go to the
run log (``CXW_DEBUG=1`` prints them); nothing half written is left behind and the last good
release stays. The runs are `cxw run` subprocesses on their own data folders, started at the
same time; most fail at the raw load, so no dbt build is needed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from demo_data.generator import generate
from tests.conftest import DEMO
from tests.test_publish_switch import PUBLISH, seen_by_readers

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
TMPFS_SIZE = "6m"  # smaller than a 150-account run needs


@dataclass
class Run:
    data: Path
    returncode: int
    stdout: str
    stderr: str
    files: list[str] = field(default_factory=list)  # what the run left in its data folder
    served: str | None = None  # the run readers of the serving database see afterwards

    @property
    def first_line(self) -> str:
        return self.stdout.splitlines()[0] if self.stdout else ""

    @property
    def log(self) -> str:
        path = self.data / "logs" / "main_job.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _env(data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CXW_", "DAGSTER_"))}
    env.update(CXW_DATA_DIR=str(data), DBT_PROFILES_DIR=str(ROOT), **extra)
    return env


def _start(data: Path, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "cli.main", "run", *args],
        cwd=ROOT,
        env=_env(data, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _last_good(data: Path) -> None:
    """A published release (one small serving database) for a failed run to leave alone."""
    data.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [sys.executable, "-c", PUBLISH, str(data), "good0001"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    (data / "warehouse.duckdb").unlink()  # the run starts from an empty working database


@pytest.fixture(scope="module")
def landings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("landings")
    good = folder / "good"
    generate(good, **DEMO)
    latin1 = folder / "latin1"
    shutil.copytree(good, latin1)
    # a Latin-1 byte past the head the pre-flight sniffs (ingest/preflight.py): only the
    # loader's strict walk over every row, inside the main job, finds it
    events = latin1 / "ticketing" / "ticket_events.csv"
    assert events.stat().st_size > 2 * 65536
    with events.open("ab") as fh:
        fh.write("E999999,T999999,M\xfcller\n".encode("latin-1"))
    lines = events.read_bytes().count(b"\n")
    return {"good": good, "latin1": latin1, "latin1_line": str(lines), "latin1_file": events}


@pytest.fixture(scope="module")
def tmpfs(tmp_path_factory: pytest.TempPathFactory):
    mount = tmp_path_factory.mktemp("tmpfs")
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE}", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {result.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture(scope="module")
def runs(landings, tmpfs, tmp_path_factory) -> dict[str, Run]:
    base = tmp_path_factory.mktemp("runs")
    full = tmpfs / "data"
    _last_good(full)
    _last_good(base / "enospc-load")
    plan = {
        "latin1": (base / "latin1", ["--landing", str(landings["latin1"])], {}),
        "latin1-debug": (
            base / "latin1-debug",
            ["--landing", str(landings["latin1"])],
            {"CXW_DEBUG": "1"},
        ),
        "disk-full": (full, ["--landing", str(landings["good"])], {}),
        "enospc-load": (
            base / "enospc-load",
            ["--landing", str(landings["good"])],
            {"CXW_FAULT_ENOSPC": "build:after-raw-load"},
        ),
        "enospc-generate": (
            base / "enospc-generate",
            ["--accounts", "150", "--months", "12"],
            {"CXW_FAULT_ENOSPC": "demo:generate"},
        ),
    }
    started = {name: (data, _start(data, *args, **env)) for name, (data, args, env) in plan.items()}
    done = {}
    for name, (data, proc) in started.items():
        out, err = proc.communicate(timeout=1800)
        done[name] = Run(data, proc.returncode, out, err)
    # what the disk-full run left must be read before the tmpfs goes
    done["disk-full"].files = sorted(str(p.relative_to(full)) for p in full.rglob("*"))
    done["disk-full"].served = seen_by_readers(full)
    return done


def test_a_bad_file_is_named_in_the_summarys_first_line(runs, landings):
    run = runs["latin1"]
    assert run.returncode == 1, run.stderr
    path = landings["latin1_file"]
    # the loader's own message, naming file and line (its wording is the loader's)
    assert run.first_line.startswith(f"error: {path}: line {landings['latin1_line']} ")
    assert "UTF-8" in run.first_line
    assert "main job FAILED" in run.stdout
    assert "UnicodeDecodeError" not in run.stdout
    # the terminal shows progress lines only: no stack trace, no Dagster banner
    assert all(line.startswith("[") for line in run.stderr.splitlines() if line.strip()), run.stderr
    assert "Welcome to Dagster" not in run.stderr + run.stdout
    # ... the run log has the traces
    assert "Stack Trace" in run.log or "Traceback" in run.log
    assert "LandingError" in run.log
    assert f"run log:           {run.data / 'logs' / 'main_job.log'}" in run.stdout


def test_cxw_debug_prints_the_traces(runs):
    run = runs["latin1-debug"]
    assert run.returncode == 1
    assert run.first_line.startswith("error: ") and "UTF-8" in run.first_line
    assert "LandingError" in run.stderr
    assert "Traceback" in run.stderr or "Stack Trace" in run.stderr


def _no_half_written(files: list[str]) -> None:
    assert not [f for f in files if f.endswith(".wal")], files
    assert not [f for f in files if ".partial" in f or f.endswith(".tmp")], files


def test_a_full_disk_is_reported_and_cleaned_up(runs):
    run = runs["disk-full"]
    assert run.returncode == 1, run.stdout + run.stderr
    first = run.first_line
    assert first.startswith("error: disk full while "), run.stdout + run.stderr
    assert " free on " in first and "; a run of this data needs about " in first
    assert "MB free there" in first
    assert "main job FAILED" in run.stdout  # the summary is printed
    assert "Traceback" not in run.stderr and "Stack Trace" not in run.stderr
    _no_half_written(run.files)
    assert run.served == "good0001"


def test_enospc_at_the_raw_load_keeps_the_last_release(runs):
    run = runs["enospc-load"]
    assert run.returncode == 1
    assert run.first_line.startswith(
        "error: disk full while loading the landing files into the working database"
    )
    assert "the last good release and serving database are unchanged" in run.first_line
    assert "published:         NO" in run.stdout
    _no_half_written([str(p) for p in run.data.rglob("*")])
    assert seen_by_readers(run.data) == "good0001"


def test_enospc_while_generating_demo_data(runs):
    run = runs["enospc-generate"]
    assert run.returncode == 1
    landing = run.data / "landing"
    expected = f"error: disk full while generating demo data: writing {landing}"
    assert run.first_line.startswith(expected)
    assert "main job FAILED" in run.stdout
    assert not (landing / ".cxw-demo.json").exists()  # a failed generation is not taken as done


PUBLISH_POINTS = ["publish:copy-serving", "publish:before-serving-swap"]


@pytest.mark.parametrize("point", [*PUBLISH_POINTS, "publish:before-release-switch"])
def test_enospc_while_publishing_keeps_the_last_release(tmp_path: Path, point: str, monkeypatch):
    """Every write point of publishing, in process: the error is a disk-full one naming the
    file, the attempt leaves nothing behind, the last good release stays."""
    from dagster._utils.error import serializable_error_info_from_exc_info

    from cli.outcome import actionable
    from publishing.release import Publication

    data = tmp_path / "data"
    _last_good(data)
    working = data / "warehouse.duckdb"
    con = duckdb.connect(str(working))
    con.execute("create schema marts")
    con.execute("create table marts.run_marker as select 'newb0002' as run_id")
    con.close()
    monkeypatch.setenv("CXW_FAULT_ENOSPC", point)
    publication = Publication(working, data / "serving.duckdb", data / "published", "newb0002")
    with pytest.raises(OSError) as raised, publication as pub:  # noqa: PT012
        (pub.release_dir / "release.json").write_text(json.dumps({"run_id": "newb0002"}))
        pub.commit()
    info = serializable_error_info_from_exc_info((OSError, raised.value, raised.tb))
    message, disk_full, _ = actionable(info)
    assert disk_full, message
    assert seen_by_readers(data) == "good0001"
    _no_half_written([str(p) for p in data.rglob("*")])
    assert len(list((data / "published" / "releases").iterdir())) == 1  # only the last good


def test_disk_full_errors_of_every_writer_are_recognised():
    """DuckDB, SQLite (the Dagster instance) and Python name a full disk differently."""
    from dagster._utils.error import SerializableErrorInfo

    from cli.outcome import actionable

    def info(cls: str, message: str) -> SerializableErrorInfo:
        return SerializableErrorInfo(
            message="dagster._core.errors.DagsterExecutionStepExecutionError: Error in op",
            stack=[],
            cls_name="DagsterExecutionStepExecutionError",
            cause=SerializableErrorInfo(message=message, stack=[], cls_name=cls),
        )

    wal = "/d/warehouse.duckdb.wal"
    duck = info("IOException", f'IO Error: Could not write file "{wal}": No space left on device')
    assert actionable(duck)[1:] == (True, wal)
    sqlite = info("OperationalError", "sqlite3.OperationalError: disk I/O error")
    assert actionable(sqlite)[1] is True
    results = "/d/quality/runs/x.json"
    python = info("OSError", f"OSError: [Errno 28] No space left on device: '{results}'")
    assert actionable(python)[1:] == (True, results)
    bad = "/l/a.csv: line 3 is not valid UTF-8"
    landing = info("LandingError", f"ingest.landing.LandingError: {bad}")
    assert actionable(landing) == (bad, False, None)

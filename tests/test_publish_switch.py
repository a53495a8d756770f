"""The serving database and the release switch as one (publishing/release.py).

A publication is killed (SIGKILL, no clean-up) at every fault point of publishing, from three
starting states: a last good release in today's layout, one in the layout before it (the
serving database a plain file beside the release), and nothing published yet. After each kill,
a reader that follows the documented path (`serving.duckdb`) and one that reads
`published/current/release.json` must find the same run, before any repair; the next start's
`recover` then leaves no leftovers and the same pair. The publications here copy a one-table
working database, so no dbt build is needed.
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
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent

PUBLISH = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    import duckdb
    from publishing.release import Publication
    data, run_id = Path(sys.argv[1]), sys.argv[2]
    working = data / "warehouse.duckdb"
    con = duckdb.connect(str(working))
    con.execute("create schema if not exists marts")
    con.execute("create or replace table marts.run_marker as select ? as run_id", [run_id])
    con.close()
    with Publication(working, data / "serving.duckdb", data / "published", run_id) as pub:
        (pub.release_dir / "release.json").write_text(json.dumps({"run_id": run_id}))
        pub.commit()
    """
)

BEFORE_SWITCH = ["publish:copy-serving", "publish:before-serving-swap"]
SWITCH = ["publish:before-release-switch", "publish:after-release-switch"]
CASES = {
    # start state: (points at which to kill, the last good run id, or None)
    "steady": ([*BEFORE_SWITCH, *SWITCH], "good0001"),
    "old-layout": (["publish:before-serving-link", *BEFORE_SWITCH, *SWITCH], "olda0001"),
    "first": (["publish:before-serving-link", *SWITCH], None),
}
NEW_RUN = "newb0002"


def publish(data: Path, run_id: str, **env: str) -> subprocess.Popen:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CXW_FAULT")}
    full_env.update(env)
    return subprocess.Popen(
        [sys.executable, "-c", PUBLISH, str(data), run_id],
        cwd=ROOT,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def seen_by_readers(data: Path) -> str | None:
    """The run a reader of `serving.duckdb` sees, checked against the one `current` names."""
    current, serving = data / "published" / "current", data / "serving.duckdb"
    if not current.exists():
        assert not serving.exists(), "a serving database without a release"
        return None
    released = json.loads((current / "release.json").read_text())["run_id"]
    con = duckdb.connect(str(serving), read_only=True)
    try:
        served = con.execute("select run_id from marts.run_marker").fetchone()[0]
    finally:
        con.close()
    assert served == released, f"serving.duckdb is from {served}, the release from {released}"
    return served


def leftovers(data: Path) -> list[str]:
    releases = data / "published" / "releases"
    found = [p.name for p in data.glob(".serving.duckdb.*")]
    if releases.is_dir():
        found += [p.name for p in releases.glob(".*")]
        found += [p.name for r in releases.iterdir() for p in r.glob(".*")]
    return found + [p.name for p in (data / "published").glob(".current.*")]


def start_state(case: str, folder: Path) -> Path:
    data = folder / "data"
    data.mkdir(parents=True)
    if case == "steady":
        proc = publish(data, CASES[case][1])
        assert proc.wait(timeout=300) == 0, proc.stderr.read()
    elif case == "old-layout":
        release = data / "published" / "releases" / "20260101T000000Z-olda0001"
        release.mkdir(parents=True)
        (release / "release.json").write_text(json.dumps({"run_id": "olda0001"}))
        (data / "published" / "current").symlink_to(Path("releases") / release.name)
        con = duckdb.connect(str(data / "serving.duckdb"))
        con.execute("create schema marts")
        con.execute("create table marts.run_marker as select 'olda0001' as run_id")
        con.close()
    return data


@pytest.fixture(scope="module")
def killed(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """One publication killed at each point of each case, all at the same time."""
    running = {}
    for case, (points, _) in CASES.items():
        for point in points:
            folder = tmp_path_factory.mktemp(f"{case}-{point.split(':')[1]}")
            data = start_state(case, folder)
            marker = folder / "paused"
            proc = publish(
                data,
                NEW_RUN,
                CXW_FAULT_PAUSE=point,
                CXW_FAULT_MARKER=str(marker),
                CXW_FAULT_SECONDS="600",
            )
            running[(case, point)] = (proc, marker, data)
    done = {}
    deadline = time.monotonic() + 600
    try:
        while len(done) < len(running):
            for key, (proc, marker, data) in running.items():
                if key in done:
                    continue
                if marker.exists():
                    proc.send_signal(signal.SIGKILL)
                    proc.wait(timeout=60)
                    done[key] = data
                elif proc.poll() is not None:
                    pytest.fail(f"{key}: ended before its fault point: {proc.stderr.read()}")
            assert time.monotonic() < deadline, f"never paused: {set(running) - set(done)}"
            time.sleep(0.1)
    finally:
        for proc, _, _ in running.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=60)
    return done


@pytest.mark.parametrize(
    ("case", "point"), [(case, point) for case, (points, _) in CASES.items() for point in points]
)
def test_a_kill_at_any_point_leaves_database_and_release_from_one_run(killed, case, point):
    from publishing.release import recover

    data = killed[(case, point)]
    last_good = CASES[case][1]
    expected = NEW_RUN if point == "publish:after-release-switch" else last_good
    assert seen_by_readers(data) == expected  # before any repair: readers see one run

    recover(data / "serving.duckdb", data / "published")  # what the next start does first
    assert seen_by_readers(data) == expected
    assert not leftovers(data)
    if expected is not None:
        assert (data / "serving.duckdb").is_symlink()  # from now on it switches with `current`


def test_a_publication_after_a_kill_switches_both(killed, tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(killed[("old-layout", "publish:before-release-switch")], data, symlinks=True)
    proc = publish(data, "next0003")
    assert proc.wait(timeout=300) == 0, proc.stderr.read()
    assert seen_by_readers(data) == "next0003"
    assert not leftovers(data)

"""Failures a user can cause end with one clear line that says what to do (and exit 2)."""

from __future__ import annotations

import os
import resource
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


def cxw(*args: str, env: dict | None = None, preexec=None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("CXW_", "DBT_TARGET"))}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "-q", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=preexec,
    )


def last_line(result: subprocess.CompletedProcess) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def test_bad_folder(tmp_path: Path):
    result = cxw("load", "--landing", str(tmp_path / "nope"), "--database", str(tmp_path / "w.db"))
    assert result.returncode == 2
    assert last_line(result).startswith("error: landing folder")
    assert "cxw generate" in last_line(result)


def test_bad_file(tmp_path: Path):
    landing = tmp_path / "landing"
    shutil.copytree(MINI, landing)
    (landing / "survey" / "answers.csv").write_text("response_id,numeric_value\nR1,3\n")
    result = cxw("load", "--landing", str(landing), "--database", str(tmp_path / "w.db"))
    assert result.returncode == 2
    assert "answers.csv: missing required column(s) question_id" in result.stderr


def test_missing_engine(tmp_path: Path):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = cxw("build", env={"DBT_TARGET": "postgres", "CXW_PG_PORT": str(port)})
    assert result.returncode == 2
    assert last_line(result).startswith(f"error: cannot reach PostgreSQL at 127.0.0.1:{port}")
    assert "start the server or set CXW_PG_HOST" in last_line(result)


def test_main_job_on_another_engine_says_how(tmp_path: Path):
    result = cxw("run", env={"DBT_TARGET": "spark", "CXW_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "the main job runs on the embedded DuckDB" in last_line(result)


def test_port_in_use():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = cxw("ui", "--port", str(port))
    assert result.returncode == 2
    assert last_line(result).startswith(f"error: port {port} on 127.0.0.1 is in use")
    assert "--port" in last_line(result)


def test_disk_full_simulated_by_a_file_size_limit(tmp_path: Path):
    def tiny_limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    result = cxw(
        "generate",
        "--landing",
        str(tmp_path / "landing"),
        "--accounts",
        "3000",
        preexec=tiny_limit,
    )
    assert result.returncode == 2
    assert last_line(result).startswith("error: disk full (or file size limit reached)")
    assert "free some space" in last_line(result)


@pytest.mark.parametrize("command", ["run", "generate", "load", "build", "ui", "mf"])
def test_help_explains_every_option(command: str):
    result = cxw(command, "--help")
    assert result.returncode == 0
    assert "usage: cxw" in result.stdout


def test_a_wrong_option_shows_the_subcommands_usage(tmp_path: Path):
    result = cxw("run", "--acounts", "2000", env={"CXW_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.startswith("usage: cxw run ")
    assert "--accounts ACCOUNTS" in result.stderr
    assert last_line(result) == "cxw run: error: unrecognized arguments: --acounts 2000"
    assert not any(tmp_path.iterdir())  # refused before anything was touched


def test_help_lists_the_test_command():
    result = cxw("--help")
    assert result.returncode == 0
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("    ")]
    assert "test" in listed
    assert "usage: cxw test" in cxw("test", "--help").stdout


def test_dagster_telemetry_banner_is_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Dagster prints its telemetry and "Welcome to Dagster!" banner unless dagster.yaml turns
    telemetry off; the instance the main job and the UI share does so (and keeps what a user
    wrote there)."""
    from dagster_shared.telemetry import get_telemetry_enabled_from_dagster_yaml

    from lib.dagster_home import ensure_dagster_home

    home = tmp_path / "dagster"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    ensure_dagster_home(home)
    assert get_telemetry_enabled_from_dagster_yaml() is False

    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "dagster.yaml").write_text("run_monitoring:\n  enabled: true\n")
    monkeypatch.setenv("DAGSTER_HOME", str(kept))
    ensure_dagster_home(kept)
    assert get_telemetry_enabled_from_dagster_yaml() is False
    assert "run_monitoring" in (kept / "dagster.yaml").read_text()
    ensure_dagster_home(kept)  # idempotent
    assert (kept / "dagster.yaml").read_text().count("telemetry:") == 1

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

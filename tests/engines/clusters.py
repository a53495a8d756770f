"""Fixtures for the tests that build the project on PostgreSQL and Spark, one of each per
test session: tests/conftest.py imports them, so that every folder (tests/engines,
tests/adapters ...) shares the same cluster (a module importing a fixture by name would get
a session-scoped instance of its own: another initdb and another server).

- ``postgres_server``: a throwaway PostgreSQL 15 cluster (initdb into a temp dir, trust auth,
  a free port on 127.0.0.1), stopped and removed afterwards, also when a test fails.
- ``postgres_cluster``: a fresh database of that server for each test module, so that what
  one module builds (schemas staging, marts ... of a vendor demo) never meets another's.
- ``spark_settings``: a temp warehouse and Derby metastore for a local Spark, with
  ``SPARK_LOCAL_IP`` and ``JAVA_HOME`` (Java 17 or 21) set.
- ``spark_cluster``: a Spark standalone cluster (one master, two workers of 1 core and 1 GiB)
  on 127.0.0.1 on free ports, from the installed pyspark (``tests/engines/spark_cluster.py``),
  stopped and removed afterwards, also when a test fails.

Missing system packages (``scripts/install_system_deps.sh`` installs them) skip these tests
on a developer's machine, with a message saying what to install; in CI (``CI`` set) they fail.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from ingest.postgres_loader import PostgresSettings
from ingest.spark_loader import SparkSettings, find_java_home
from tests.engines.spark_cluster import ClusterError, SparkStandaloneCluster

PG_BIN = Path(os.environ.get("CXW_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_DATABASE = "cx_warehouse"


def _missing(what: str) -> None:
    message = f"{what}; run scripts/install_system_deps.sh (or ./cxw test, which calls it)"
    if os.environ.get("CI"):
        pytest.fail(f"{message} [CI is set: engine tests must run in CI]", pytrace=False)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_cluster_owner(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its programs as `postgres` when we are root."""
    if os.geteuid() != 0:
        return args
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "postgres", "--", *args]
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{a}'" for a in args)]


def _run(args: list[str], what: str) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise RuntimeError(
            f"{what} failed ({done.returncode}): {' '.join(args)}\n{done.stdout}\n{done.stderr}"
        )
    return done


def _stop_cluster(data_dir: Path, log: Path) -> None:
    pid_file = data_dir / "postmaster.pid"
    if not pid_file.exists():
        return
    stopped = subprocess.run(
        _as_cluster_owner(
            [str(PG_BIN / "pg_ctl"), "-D", str(data_dir), "-m", "fast", "-w", "-t", "60", "stop"]
        ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if stopped.returncode == 0 or not pid_file.exists():
        return
    # pg_ctl could not stop it: end the postmaster by its pid (never by name).
    with contextlib.suppress(Exception):
        pid = int(pid_file.read_text().splitlines()[0])
        os.kill(pid, signal.SIGQUIT)
        for _ in range(100):
            if not pid_file.exists():
                break
            time.sleep(0.1)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresSettings]:
    """A PostgreSQL 15 cluster of its own on a free port; yields its connection settings."""
    for program in ("initdb", "pg_ctl"):
        if not (PG_BIN / program).is_file():
            _missing(
                f"PostgreSQL server binaries not found ({PG_BIN / program}); "
                "the Debian package is postgresql (postgresql-15)"
            )
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            _missing("running as root and there is no `postgres` user to run the cluster as")

    base = Path(tempfile.mkdtemp(prefix="cxw-pg-"))
    data_dir, socket_dir, log = base / "data", base / "socket", base / "server.log"
    socket_dir.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(socket_dir, "postgres")
    port = _free_port()
    try:
        _run(
            _as_cluster_owner(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(data_dir),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),
            "initdb",
        )
        _run(
            _as_cluster_owner(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(data_dir),
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    f"-p {port} -k {socket_dir} -c listen_addresses=127.0.0.1 "
                    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                    "start",
                ]
            ),
            "pg_ctl start",
        )
        settings = PostgresSettings(
            host="127.0.0.1", port=port, user="postgres", password="", database="postgres"
        )
        con = settings.connect()
        try:
            con.autocommit = True
            with con.cursor() as cur:
                cur.execute(f"create database {PG_DATABASE}")
        finally:
            con.close()
        yield PostgresSettings(
            host="127.0.0.1", port=port, user="postgres", password="", database=PG_DATABASE
        )
    except RuntimeError as exc:
        server_log = log.read_text() if log.exists() else ""
        pytest.fail(f"could not start PostgreSQL: {exc}\n{server_log}", pytrace=False)
    finally:
        _stop_cluster(data_dir, log)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres_cluster(
    postgres_server: PostgresSettings, request: pytest.FixtureRequest
) -> Iterator[PostgresSettings]:
    """A database of its own on the session's PostgreSQL server, for one test module; yields
    its connection settings (the server's, with that database)."""
    name = "cxw_" + re.sub(r"[^a-z0-9]+", "_", request.module.__name__.lower())[-50:]
    admin = replace(postgres_server, database="postgres")
    con = admin.connect()
    try:
        con.autocommit = True
        with con.cursor() as cur:
            cur.execute(f"drop database if exists {name}")
            cur.execute(f"create database {name}")
    finally:
        con.close()
    yield replace(postgres_server, database=name)


@pytest.fixture(scope="session")
def spark_settings() -> Iterator[SparkSettings]:
    """A temp warehouse and Derby metastore for local Spark (removed afterwards)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        _missing("pyspark is not installed (the project's `spark` extra)")
    home = find_java_home()
    if home is None:
        _missing("Spark 4 needs Java 17 or 21 and none was found (openjdk-17-jre-headless)")
    saved = {k: os.environ.get(k) for k in ("SPARK_LOCAL_IP", "JAVA_HOME")}
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    os.environ["JAVA_HOME"] = str(home)
    base = Path(tempfile.mkdtemp(prefix="cxw-spark-"))
    try:
        yield SparkSettings(warehouse_dir=base / "warehouse", derby_dir=base / "derby")
    finally:
        shutil.rmtree(base, ignore_errors=True)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def spark_cluster(spark_settings: SparkSettings) -> Iterator[SparkStandaloneCluster]:
    """A Spark standalone cluster on 127.0.0.1: its master URL is ``.master_url``; waits
    until both workers have registered with the master."""
    cluster = SparkStandaloneCluster(java_home=Path(os.environ["JAVA_HOME"]))
    try:
        try:
            cluster.start()
        except ClusterError as exc:
            pytest.fail(f"could not start the Spark standalone cluster: {exc}", pytrace=False)
        yield cluster
    finally:
        cluster.stop()

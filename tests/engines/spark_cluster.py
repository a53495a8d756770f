"""A throwaway Spark standalone cluster for the engine tests: one master, two workers.

Started from the installed pyspark (``bin/spark-class`` with the standalone Master and Worker
classes; the wheel's ``sbin`` has no start-master/start-worker scripts), everything on
127.0.0.1 on free ports, each worker with 1 core and 1 GiB for executors, logs and work dirs
in one temp dir. Every daemon is started in a process group of its own, so stopping ends it
and the executors it launched, by their ids; the temp dir is removed afterwards. A daemon
also dies with the test process (``PR_SET_PDEATHSIG``) if that is killed outright.

The master's web UI serves its state as JSON (``/json/``): the workers that registered, the
applications that ran and the cores they hold. A worker keeps the logs of every executor it
ran under ``<work dir>/<application id>/<executor id>/stderr``: where the tests look for the
tasks each worker finished.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lib.childguard import die_with_parent

WORKERS = 2
WORKER_CORES = 1
WORKER_MEMORY = "1g"
DAEMON_MEMORY = "256m"  # heap of the master and worker daemons themselves
START_TIMEOUT = 180.0  # seconds for the master to answer and both workers to register
MASTER_CLASS = "org.apache.spark.deploy.master.Master"
WORKER_CLASS = "org.apache.spark.deploy.worker.Worker"
FINISHED_TASK = re.compile(r"Finished task \S+ in stage \S+ \(TID \d+\)")


class ClusterError(RuntimeError):
    """The cluster could not be started; the message says why and shows the logs' tails."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).resolve().parent


def _tail(path: Path, lines: int = 25) -> str:
    if not path.exists():
        return f"({path.name}: no log)"
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return f"--- {path.name} (last {lines} lines) ---\n" + "\n".join(text[-lines:])


@dataclass
class Daemon:
    name: str
    process: subprocess.Popen
    log: Path
    web_port: int


@dataclass
class SparkStandaloneCluster:
    """One master and ``WORKERS`` workers on 127.0.0.1; ``start()``, then ``stop()``."""

    java_home: Path
    base: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="cxw-sparkc-")))
    master_port: int = field(default_factory=free_port)
    master_web_port: int = field(default_factory=free_port)
    daemons: list[Daemon] = field(default_factory=list)

    @property
    def master_url(self) -> str:
        return f"spark://127.0.0.1:{self.master_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.master_web_port}"

    def work_dir(self, worker: int) -> Path:
        return self.base / f"worker-{worker}" / "work"

    # ------------------------------------------------------------------ start and stop
    def _environment(self, name: str) -> dict[str, str]:
        home = spark_home()
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("SPARK_", "PYSPARK_")) and k != "JAVA_HOME"
        }
        local_dirs = self.base / name / "local"
        local_dirs.mkdir(parents=True, exist_ok=True)
        env.update(
            SPARK_HOME=str(home),
            JAVA_HOME=str(self.java_home),
            SPARK_LOCAL_IP="127.0.0.1",
            SPARK_DAEMON_MEMORY=DAEMON_MEMORY,
            SPARK_LOCAL_DIRS=str(local_dirs),  # executors' scratch space (shuffle, spills)
            SPARK_LOG_DIR=str(self.base / "logs"),
            SPARK_NO_DAEMONIZE="1",
        )
        return env

    def _spawn(self, name: str, args: list[str], web_port: int) -> Daemon:
        logs = self.base / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        log = logs / f"{name}.log"
        parent = os.getpid()
        with log.open("wb") as out:
            process = subprocess.Popen(
                [str(spark_home() / "bin" / "spark-class"), *args],
                env=self._environment(name),
                cwd=self.base,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the executors go with it
                preexec_fn=lambda: die_with_parent(parent),  # and dies if the tests are killed
            )
        daemon = Daemon(name, process, log, web_port)
        self.daemons.append(daemon)
        return daemon

    def start(self, timeout: float = START_TIMEOUT) -> None:
        properties = self.base / "spark-defaults.conf"
        properties.write_text(
            "spark.master.rest.enabled false\n"  # no REST submission server (port 6066)
            "spark.worker.cleanup.enabled false\n"  # keep executor logs for the tests
            "spark.ui.showConsoleProgress false\n",
            encoding="utf-8",
        )
        self._spawn(
            "master",
            [
                MASTER_CLASS,
                "--host", "127.0.0.1",
                "--port", str(self.master_port),
                "--webui-port", str(self.master_web_port),
                "--properties-file", str(properties),
            ],
            self.master_web_port,
        )  # fmt: skip
        for n in range(1, WORKERS + 1):
            work = self.work_dir(n)
            work.mkdir(parents=True, exist_ok=True)
            web_port = free_port()
            self._spawn(
                f"worker-{n}",
                [
                    WORKER_CLASS,
                    "--host", "127.0.0.1",
                    "--port", str(free_port()),
                    "--webui-port", str(web_port),
                    "--cores", str(WORKER_CORES),
                    "--memory", WORKER_MEMORY,
                    "--work-dir", str(work),
                    "--properties-file", str(properties),
                    self.master_url,
                ],
                web_port,
            )  # fmt: skip
        self.wait_for_workers(timeout)

    def wait_for_workers(self, timeout: float) -> None:
        """Until the master lists ``WORKERS`` alive workers; a ClusterError after ``timeout``."""
        deadline = time.monotonic() + timeout
        seen = "the master's web UI did not answer"
        while time.monotonic() < deadline:
            for daemon in self.daemons:
                if daemon.process.poll() is not None:
                    raise ClusterError(
                        f"Spark {daemon.name} exited with code {daemon.process.returncode} "
                        f"while the cluster was starting\n{self.logs()}"
                    )
            with contextlib.suppress(OSError, ValueError):
                alive = self.alive_workers()
                if len(alive) >= WORKERS:
                    return
                seen = f"{len(alive)} of {WORKERS} workers registered"
            time.sleep(0.5)
        raise ClusterError(
            f"the Spark master at {self.master_url} (web UI {self.web_url}) did not list "
            f"{WORKERS} alive workers within {timeout:.0f} s ({seen})\n{self.logs()}"
        )

    def stop(self) -> None:
        """Stop the workers (and their executors), then the master; remove the temp dir."""
        for daemon in reversed(self.daemons):
            _stop_group(daemon.process)
        self.daemons.clear()
        shutil.rmtree(self.base, ignore_errors=True)

    def logs(self) -> str:
        return "\n".join(_tail(d.log) for d in self.daemons)

    # ------------------------------------------------------------------ what the master says
    def state(self) -> dict[str, Any]:
        """The master's state, as its web UI serves it at ``/json/``."""
        with urllib.request.urlopen(f"{self.web_url}/json/", timeout=10) as response:
            return json.load(response)

    def alive_workers(self) -> list[dict[str, Any]]:
        return [w for w in self.state().get("workers", []) if w.get("state") == "ALIVE"]

    def applications(self, name: str) -> list[dict[str, Any]]:
        """Active and completed applications called ``name``."""
        state = self.state()
        return [
            app
            for app in state.get("activeapps", []) + state.get("completedapps", [])
            if app.get("name") == name
        ]

    def finished_tasks(self, app_id: str) -> dict[int, int]:
        """Tasks of ``app_id`` that the executors of each worker finished (from their logs)."""
        counts = {}
        for n in range(1, WORKERS + 1):
            logs = sorted((self.work_dir(n) / app_id).glob("*/stderr"))
            counts[n] = sum(
                len(FINISHED_TASK.findall(p.read_text(encoding="utf-8", errors="replace")))
                for p in logs
            )
        return counts


def _stop_group(process: subprocess.Popen) -> None:
    """SIGTERM to the daemon's process group (its own: started in a new session), then
    SIGKILL if it has not exited within 30 s; then SIGKILL to what is left of the group
    (executors the worker launched)."""
    if process.poll() is not None:
        return  # exited already: its executors leave when they lose their worker
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 30)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)

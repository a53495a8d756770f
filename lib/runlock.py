"""One run at a time per data folder.

A run (``cxw run``, ``cxw load``, ``cxw build``, a run the Dagster UI, a schedule or a sensor
starts) takes ``<data folder>/.cxw-run.lock`` before it touches anything, and holds it until it
ends. The lock is an ``flock`` on that file: the kernel drops it when the holder ends in any way
(a crash or ``kill -9`` too), so a dead holder never blocks the next run; the file's text only
says who holds it (pid, start time, command), for the message a second run prints at once.

Within one process the lock is re-entrant: ``cxw run`` takes it first, and the Dagster run it
starts in the same process takes it again through the warehouse resource (which is how runs
the UI, schedules and sensors start take it).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lib.errors import UserError

LOCK_FILE = ".cxw-run.lock"


class RunLocked(UserError):
    """Another run holds the data folder."""


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) the lock, as written in the lock file."""

    pid: int
    started: str  # ISO timestamp, UTC
    command: str
    host: str

    @classmethod
    def parse(cls, text: str) -> Holder | None:
        try:
            data = json.loads(text)
            return cls(int(data["pid"]), str(data["started"]), str(data["command"]), data["host"])
        except (ValueError, KeyError, TypeError):
            return None

    def describe(self) -> str:
        started = self.started.replace("T", " ").split(".")[0].removesuffix("+00:00")
        where = "" if self.host == socket.gethostname() else f" on {self.host}"
        return f"pid {self.pid}{where}, `{self.command}`, started {started} UTC"


@dataclass
class _Held:
    fd: int
    depth: int


_held: dict[Path, _Held] = {}
_guard = threading.Lock()


def lock_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOCK_FILE


def _command() -> str:
    args = [Path(sys.argv[0]).name if sys.argv else "python", *sys.argv[1:]]
    if args[0] in ("main.py", "__main__.py", "-m", "-c"):
        args[0] = "cxw"
    return " ".join(args)[:200]


def current_holder(data_dir: Path) -> Holder | None:
    """The live holder of the data folder's lock, or None when it is free."""
    path = lock_path(data_dir)
    if path.resolve() in _held:
        return Holder.parse(path.read_text())
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return Holder.parse(path.read_text()) or Holder(0, "?", "unknown", "?")
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _lock_soon(fd: int, tries: int = 5) -> None:
    """flock, retried for a moment: a schedule or sensor that only looks (``current_holder``)
    holds a shared lock for microseconds, and must not make a run fail."""
    for attempt in range(tries):
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if attempt == tries - 1:
                raise
            time.sleep(0.05)


def acquire(data_dir: Path, command: str | None = None) -> Holder | None:
    """Take the data folder's lock or raise RunLocked naming its holder (without waiting).

    Returns the holder of a lock that was left behind by a run that ended without releasing it
    (killed, crashed), which this run has taken over; None otherwise."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    path = lock_path(data_dir).resolve()
    with _guard:
        held = _held.get(path)
        if held is not None:
            held.depth += 1
            return None  # taken (and any take-over reported) by the outer holder
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            _lock_soon(fd)
        except BlockingIOError:
            os.close(fd)
            holder = Holder.parse(path.read_text())
            who = holder.describe() if holder else "a process that did not say who it is"
            raise RunLocked(
                f"another run is using the data folder {data_dir} ({who}): wait for it to "
                f"finish, or stop it{f' (kill {holder.pid})' if holder else ''}, then run "
                "again; each data folder (CXW_DATA_DIR) takes one run at a time"
            ) from None
        except BaseException:
            os.close(fd)
            raise
        left = Holder.parse(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
        me = Holder(
            pid=os.getpid(),
            started=datetime.now(UTC).isoformat(timespec="seconds"),
            command=command or _command(),
            host=socket.gethostname(),
        )
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(me.__dict__) + "\n").encode(), 0)
        _held[path] = _Held(fd=fd, depth=1)
        return left


def release(data_dir: Path) -> None:
    path = lock_path(data_dir).resolve()
    with _guard:
        held = _held.get(path)
        if held is None:
            return
        held.depth -= 1
        if held.depth > 0:
            return
        del _held[path]
        with contextlib.suppress(OSError):  # a full disk must not keep the lock
            os.ftruncate(held.fd, 0)  # released cleanly: nobody to take over from
        os.close(held.fd)  # closing the file drops the flock


@contextlib.contextmanager
def run_lock(data_dir: Path, command: str | None = None) -> Iterator[Holder | None]:
    """``with run_lock(data_dir):`` hold the data folder for the block (see ``acquire``)."""
    taken_over = acquire(data_dir, command)
    try:
        yield taken_over
    finally:
        release(data_dir)

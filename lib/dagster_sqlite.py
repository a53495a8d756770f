"""Faster writes to the Dagster instance's SQLite files during a run (`cxw run`).

Dagster's SQLite storage opens a new connection for every event it stores and commits it on
its own: a run of the warehouse job stores about 2,500 events (one "planned" event per asset
and per check before the first step, then the evaluations), each with two or three commits,
and on 2 cores with a busy disk that was 50-80 s before the first step started. Two SQLite
settings cost nearly all of it, and neither is something Dagster lets its instance configure:

- ``synchronous=FULL`` (SQLite's default): every commit waits for the disk (fsync). In WAL
  mode, which Dagster uses for its files, ``synchronous=NORMAL`` is SQLite's recommended
  setting: a commit only appends to the write-ahead log, the database stays consistent
  after a crash or power loss (at most the last commits before a power loss are lost).
- the last connection to close a WAL database checkpoints it and deletes the log: with one
  connection per event, that is a checkpoint (and its disk waits) per event. One extra idle
  connection per file, held while the run lasts, makes every other close cheap; it is closed
  at the end, which checkpoints once.

And costs of CPU: Dagster's SQLite event log creates a new SQLAlchemy engine for every
connection, so SQLAlchemy compiles every INSERT again (its statement cache belongs to the
engine). While active, the instance's event log keeps one engine per file instead (same
connections, same transactions: only the engine object is reused), and remembers which of
its tables exist (it asks, with a new engine and connection, for every asset check event).

Only files under the Dagster home are touched, only while ``quick_dagster_sqlite`` is active
(in the process running the job), and nothing Dagster stores changes: the same events, rows
and files. `dagster dev` and the UI read the same files as before.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path


class _Tuner:
    def __init__(self, home: Path) -> None:
        self.home = str(Path(home).resolve())
        self.keepers: dict[str, sqlite3.Connection] = {}
        self.lock = threading.Lock()
        # whether a file is under the home, by the path SQLite reports: resolved once per file,
        # not once per connection (Dagster opens one per event)
        self.inside: dict[str, bool] = {}

    def _file_of(self, dbapi_connection: sqlite3.Connection) -> str | None:
        rows = dbapi_connection.execute("pragma database_list").fetchall()
        for _seq, name, path in rows:
            if name == "main" and path:
                return path
        return None

    def on_connect(self, dbapi_connection, _record) -> None:
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        path = self._file_of(dbapi_connection)
        if path is None:
            return
        inside = self.inside.get(path)
        if inside is None:
            inside = self.inside[path] = str(Path(path).resolve()).startswith(self.home)
        if not inside:
            return
        dbapi_connection.execute("pragma synchronous=NORMAL")
        with self.lock:
            keeper = self.keepers.get(path)
            if keeper is None:
                keeper = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
                self.keepers[path] = keeper
            # a read opens the write-ahead log (once the file is in WAL mode) and ends at once:
            # the keeper holds no lock, it only keeps the log open
            with contextlib.suppress(sqlite3.Error):
                keeper.execute("select count(*) from sqlite_master").fetchall()

    def close(self) -> None:
        with self.lock:
            for keeper in self.keepers.values():
                with contextlib.suppress(sqlite3.Error):
                    keeper.close()
            self.keepers.clear()


def _reuse_engines(storage) -> Callable[[], None] | None:
    """Make ``storage`` (Dagster's SqliteEventLogStorage, the version this project pins) keep
    one engine per file; returns how to undo it, or None when the storage is another kind."""
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
    from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    if type(storage) is not SqliteEventLogStorage:
        return None
    engines: dict = {}

    @contextlib.contextmanager
    def connect(shard: str):
        # SqliteEventLogStorage._connect, with the engine kept instead of made and disposed
        with storage._db_lock:
            engine = engines.get(shard)
            if engine is None:
                engine = create_engine(
                    storage.conn_string_for_shard(shard),
                    poolclass=NullPool,
                    connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
                )
                engines[shard] = engine
            if shard not in storage._initialized_dbs:
                storage._initdb(engine)
                storage._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    present: set[str] = set()
    has_table = storage.has_table

    def cached_has_table(table_name: str) -> bool:
        # SqliteEventLogStorage.has_table makes an engine and a connection per call, and the
        # event log asks it for every asset check event: a table that exists stays (nothing
        # drops one during a run), so only a "yes" is remembered
        if table_name in present:
            return True
        found = has_table(table_name)
        if found:
            present.add(table_name)
        return found

    storage._connect = connect
    storage.has_table = cached_has_table

    def undo() -> None:
        del storage._connect
        del storage.has_table
        for engine in engines.values():
            engine.dispose()

    return undo


@contextlib.contextmanager
def quick_dagster_sqlite(home: Path, instance=None) -> Iterator[None]:
    """While active, SQLite connections SQLAlchemy opens to files under ``home`` commit
    without waiting for the disk and do not checkpoint on every close, and the event log of
    ``instance`` (a DagsterInstance) reuses its engines (module docstring)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    tuner = _Tuner(home)
    event.listen(Engine, "connect", tuner.on_connect)
    undo = _reuse_engines(instance.event_log_storage) if instance is not None else None
    try:
        yield
    finally:
        if undo is not None:
            undo()
        event.remove(Engine, "connect", tuner.on_connect)
        tuner.close()

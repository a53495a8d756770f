"""lib/dagster_sqlite.py: the Dagster instance's SQLite files written without a disk wait per
event, and the same run history as without it."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from lib.dagster_home import ensure_dagster_home
from lib.dagster_sqlite import quick_dagster_sqlite

FULL, NORMAL = 2, 1  # PRAGMA synchronous


def _synchronous(path: Path) -> int:
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(text("pragma synchronous")).scalar()
    finally:
        engine.dispose()


def test_only_files_under_the_home_and_only_while_active(tmp_path: Path) -> None:
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    assert _synchronous(home / "a.db") == FULL
    with quick_dagster_sqlite(home):
        assert _synchronous(home / "a.db") == NORMAL
        assert _synchronous(elsewhere / "b.db") == FULL
    assert _synchronous(home / "a.db") == FULL


def test_commits_are_kept_and_the_log_is_folded_in_at_the_end(tmp_path: Path) -> None:
    db = tmp_path / "events.db"
    with quick_dagster_sqlite(tmp_path):
        engine = create_engine(f"sqlite:///{db}", poolclass=NullPool)
        with engine.begin() as conn:
            conn.execute(text("pragma journal_mode=WAL"))
            conn.execute(text("create table t (i integer)"))
        for i in range(20):  # one connection per write, as Dagster's event log does
            with engine.begin() as conn:
                conn.execute(text("insert into t values (:i)"), {"i": i})
        # the idle connection held open keeps the log: no checkpoint on every close
        assert Path(f"{db}-wal").exists()
        engine.dispose()
    # closing it checkpointed: the log is gone and every row is in the database file
    assert not Path(f"{db}-wal").exists()
    con = sqlite3.connect(db)
    assert con.execute("select count(*), sum(i) from t").fetchone() == (20, sum(range(20)))
    con.close()


@dg.asset
def numbers() -> int:
    return 3


@dg.asset_check(asset=numbers)
def numbers_positive() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


def _run(home: Path, quick: bool) -> list[tuple[str, str | None]]:
    """One run of a small job in a fresh instance; its stored events (type, step), as a new
    instance reads them back, and the check's stored execution status."""
    ensure_dagster_home(home)
    job = dg.Definitions(
        assets=[numbers], asset_checks=[numbers_positive], executor=dg.in_process_executor
    ).resolve_implicit_global_asset_job_def()
    old = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home)
    try:
        with dg.DagsterInstance.get() as instance:
            if quick:
                with quick_dagster_sqlite(home, instance):
                    run_id = job.execute_in_process(instance=instance).run_id
            else:
                run_id = job.execute_in_process(instance=instance).run_id
        with dg.DagsterInstance.get() as reader:
            records = reader.all_logs(run_id)
            check = reader.event_log_storage.get_asset_check_execution_history(
                dg.AssetCheckKey(dg.AssetKey("numbers"), "numbers_positive"), limit=5
            )
            assert reader.get_run_by_id(run_id).is_success
    finally:
        if old is None:
            os.environ.pop("DAGSTER_HOME", None)
        else:
            os.environ["DAGSTER_HOME"] = old
    events = [(str(r.dagster_event_type), r.step_key) for r in records]
    return events + [("check", c.status.value) for c in check]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_run_stores_the_same_history(tmp_path: Path) -> None:
    plain = _run(tmp_path / "plain", quick=False)
    quick = _run(tmp_path / "quick", quick=True)
    assert ("DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED", "numbers_numbers_positive") in plain
    assert ("check", "SUCCEEDED") in plain
    assert sorted(quick, key=str) == sorted(plain, key=str)
    assert not any(p.name.endswith("-wal") for p in (tmp_path / "quick").rglob("*"))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_event_log_asks_once_per_existing_table(tmp_path: Path) -> None:
    """While active, a table found is remembered, a missing one is asked for again; after
    it, the storage's own has_table is back."""
    home = tmp_path / "home"
    ensure_dagster_home(home)
    old = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home)
    try:
        with dg.DagsterInstance.get() as instance:
            storage = instance.event_log_storage
            calls: list[str] = []
            real = type(storage).has_table

            def counting(self, name: str) -> bool:
                calls.append(name)
                return real(self, name)

            type(storage).has_table = counting
            try:
                with quick_dagster_sqlite(home, instance):
                    assert storage.has_table("asset_check_executions")
                    assert storage.has_table("asset_check_executions")
                    assert storage.supports_asset_checks
                    assert not storage.has_table("no_such_table")
                    assert not storage.has_table("no_such_table")
                assert calls == ["asset_check_executions", "no_such_table", "no_such_table"]
                assert storage.has_table("asset_check_executions")
                assert calls[-1] == "asset_check_executions"
                assert "has_table" not in vars(storage)
            finally:
                type(storage).has_table = real
    finally:
        if old is None:
            os.environ.pop("DAGSTER_HOME", None)
        else:
            os.environ["DAGSTER_HOME"] = old

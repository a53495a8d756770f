"""The main job: the whole asset graph, run headlessly through Dagster.

`cxw run` and the tests call `run_main_job`; `dagster dev` shows the same graph and, since
both use the same DAGSTER_HOME, the runs made here. There is no second code path: loading,
dbt, the checks and publishing all happen as Dagster steps.

A run holds the data folder's run lock throughout (lib/runlock.py), first finishes or cleans up
what a killed run left (publishing.release.recover), and always ends with an outcome whose
summary can be printed, also when the disk fills or Dagster itself fails: the stack traces go to
the run log (``<data>/logs/main_job.log``; ``CXW_DEBUG=1`` prints them too).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from cli.outcome import STAGES, CheckOutcome, Failure, JobOutcome, read_events
from lib.settings import Settings

__all__ = ["CheckOutcome", "JobOutcome", "ensure_demo_landing", "run_main_job"]

DEMO_STAMP = ".cxw-demo.json"


def debug() -> bool:
    return os.environ.get("CXW_DEBUG", "").strip() not in ("", "0", "false", "no")


def ensure_demo_landing(landing: Path, options: dict, progress: Callable[[str], None]) -> bool:
    """Generate demo data into ``landing`` unless it already holds data of these options."""
    stamp = landing / DEMO_STAMP
    wanted = json.dumps(options, sort_keys=True, default=str)
    if stamp.exists() and stamp.read_text() == wanted:
        progress(f"demo landing folder {landing} is up to date")
        return False
    from demo_data.generator import generate
    from lib.faults import fault_point

    progress(f"generating demo data ({options['accounts']:,} accounts) into {landing}")
    stamp.unlink(missing_ok=True)  # a generation that fails half-way must not look complete
    fault_point("demo:generate", landing)
    if options.get("vendors"):
        from demo_data.vendors import generate_vendor_demo, parse_vendors

        rest = {k: v for k, v in options.items() if k != "vendors"}
        generate_vendor_demo(landing, parse_vendors(options["vendors"]), progress=progress, **rest)
    else:
        generate(landing, progress=progress, **options)
    stamp.write_text(wanted)
    return True


class RunLog(io.TextIOBase):
    """The run log file, written so that a full disk cannot fail the run a second time: the
    first failed write is remembered (its error), later ones are dropped."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.error: OSError | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = path.open("w", encoding="utf-8")
        except OSError as exc:
            self.error, self._file = exc, None

    def write(self, text: str) -> int:
        if self._file is not None and self.error is None:
            try:
                self._file.write(text)
                self._file.flush()
            except OSError as exc:
                self.error = exc
        return len(text)

    def writable(self) -> bool:
        return True

    def close(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None
        super().close()


def _quarantine_counts(database: Path, materialized: set[str]) -> dict[str, int]:
    """Rows quarantined per raw table, for the quarantine models this run built (a run that
    failed before dbt reports none, not the previous build's). A contract table's quarantine
    is its stg_*_quarantine model; an optional support table's (issue 16) is the rows of its
    base_ticketing__* model that carry a quarantine_reason."""
    import duckdb

    from ingest.contract import OPTIONAL_TABLES, TABLES

    queries = {
        t.qualified: (
            f"staging/stg_{t.system}__{t.name}_quarantine",
            f"select count(*) from staging.stg_{t.system}__{t.name}_quarantine",
        )
        for t in TABLES
    }
    for t in OPTIONAL_TABLES:
        base = f"base_{t.system}__{t.name}"
        queries[t.qualified] = (
            f"staging/{base}",
            f"select count(*) from staging.{base} where quarantine_reason is not null",
        )
    built = {name: sql for name, (key, sql) in queries.items() if key in materialized}
    counts: dict[str, int] = {}
    if not built:
        return counts
    try:
        con = duckdb.connect(str(database), read_only=True)
    except duckdb.Error:
        return counts
    try:
        for name, sql in built.items():
            with contextlib.suppress(duckdb.Error):
                counts[name] = con.execute(sql).fetchone()[0]
    finally:
        con.close()
    return counts


def _failure_from(exc: BaseException, stage: str) -> Failure:
    from lib.diskspace import is_disk_full, written_path
    from lib.errors import describe

    details = "".join(traceback.format_exception(exc))
    if is_disk_full(exc) or "disk I/O error" in str(exc):
        where = getattr(exc, "filename", None) or written_path(str(exc))
        return Failure(stage, describe(exc), details, disk_full=True, path=where)
    return Failure(stage, describe(exc), details)


def _explain_disk_full(outcome: JobOutcome, landing: Path) -> None:
    """Rewrite a disk-full failure as: where it filled, what is free, what a run needs."""
    from lib.diskspace import disk_full_message, space_needed

    s = outcome.settings
    needed = space_needed(s.database, s.serving_database, s.publish_dir, landing)
    for failure in outcome.failures:
        if not failure.disk_full:
            continue
        where = failure.path
        if where is None and "disk I/O error" in failure.message:
            where = str(s.dagster_home)  # SQLite: the Dagster instance's run history
        doing = STAGES.get(failure.step, failure.step or "running the main job")
        failure.message = disk_full_message(where, doing, data_dir=s.data_dir, needed=needed)
        outcome.failed_steps = [
            f"{failure.step}: {failure.message}" if step.startswith(f"{failure.step}: ") else step
            for step in outcome.failed_steps
        ]


def _clean_up(settings: Settings, disk_full: bool) -> list[str]:
    """After a failed run: remove what it half wrote (staged releases, temp files), and fold
    the working database's write-ahead log into it. When the disk is too full even for that,
    the log is removed: DuckDB's database file always holds the state of its last checkpoint
    (the end of the last completed load or build step), which the next run loads and builds
    on again, so the attempt's unfinished log must not keep the disk full. Returns notes for
    the summary."""
    import duckdb

    from lib.diskspace import megabytes
    from publishing.release import clean_leftovers

    notes = []
    with contextlib.suppress(OSError):
        clean_leftovers(settings.serving_database, settings.publish_dir)
    wal = Path(f"{settings.database}.wal")
    if not wal.exists():
        return notes
    try:
        con = duckdb.connect(str(settings.database))
        try:
            con.execute("checkpoint")
        finally:
            con.close()
    except (duckdb.Error, OSError):
        pass
    if wal.exists() and disk_full:
        size = wal.stat().st_size
        with contextlib.suppress(OSError):
            wal.unlink()
            notes.append(
                f"removed the run's unfinished write-ahead log {wal} ({megabytes(size)}): the "
                "working database is back at its last checkpoint; the next run loads and "
                "builds again from the landing folder"
            )
    return notes


def _select_sources(landing: Path, say: Callable[[str], None]) -> None:
    """Which system is read from a vendor's tables (docs/sources.md): a setting, else the
    landing folder's vendor folders."""
    from ingest.vendor_tables import export_selection, source_selection

    selection = source_selection(landing)
    export_selection(selection)
    for system, source in selection.items():
        if source != "contract":
            say(
                f"{system}: read from {source} ({landing / source}) through its adapter; the "
                f"raw contract checks of {system} do not apply (docs/sources.md)"
            )


def _load_job(settings: Settings):
    from lib.dagster_home import ensure_dagster_home

    ensure_dagster_home(settings.dagster_home)
    from orchestration.definitions import build_definitions

    return build_definitions(settings).resolve_job_def("warehouse_job")


def _execute(
    job, settings: Settings, outcome: JobOutcome, log: RunLog, full_refresh: bool = False
) -> None:
    """The Dagster run and what its events say."""
    import dagster as dg

    from lib.dagster_sqlite import quick_dagster_sqlite

    quiet = contextlib.nullcontext() if debug() else contextlib.redirect_stderr(log)
    # dagster-dbt echoes every dbt event to stdout, Dagster logs to stderr: stdout is for the
    # summary, so both go to the run log (the Dagster UI shows them per step as well); the
    # instance's SQLite files are written without a disk wait per event (lib/dagster_sqlite.py)
    with (
        dg.DagsterInstance.get() as instance,
        quick_dagster_sqlite(settings.dagster_home, instance),
        contextlib.redirect_stdout(log),
        quiet,
    ):
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={
                "loggers": {"console": {"config": {"log_level": "INFO"}}},
                # the staging guard decides by itself; this forces it (cxw run --full-refresh)
                "ops": {"dbt_models": {"config": {"full_refresh": full_refresh}}},
            },
        )
    outcome.run_id = result.run_id
    read_events(outcome, result.all_events)
    outcome.rows_quarantined = _quarantine_counts(settings.database, outcome.materialized)
    outcome.success = result.success and outcome.published and outcome.count("failed") == 0


def run_main_job(
    settings: Settings,
    *,
    landing: Path | None = None,
    demo: dict | None = None,
    progress: Callable[[str], None] | None = None,
    full_refresh: bool = False,
) -> JobOutcome:
    say = progress or (lambda _m: None)
    started = time.perf_counter()
    generate_demo = landing is None
    landing = landing or settings.landing_dir
    settings = Settings(**{**settings.__dict__, "landing_dir": landing})
    settings.export()
    outcome = JobOutcome(
        success=False, published=False, settings=settings, landing=landing, seconds=0.0
    )
    from lib.runlock import run_lock
    from publishing.release import recover

    log = RunLog(settings.data_dir / "logs" / "main_job.log")
    outcome.log = log.path
    stage = "starting the run"
    try:
        with run_lock(settings.data_dir, command="cxw run") as left:
            if left is not None:
                say(f"took over the run lock of {left.describe()}, which ended without it")
            stage = "finishing what an interrupted run left"
            recover(settings.serving_database, settings.publish_dir)
            if generate_demo:
                stage = "generating demo data"
                ensure_demo_landing(landing, demo or {}, say)
            stage = "reading the landing folder"
            _select_sources(landing, say)
            stage = "loading the Dagster definitions"
            say(stage)
            job = _load_job(settings)
            stage = "running the main job"
            say(
                "running the asset graph: raw load -> dbt build -> checks -> publish "
                f"(log: {log.path})"
            )
            _execute(job, settings, outcome, log, full_refresh)
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # noqa: BLE001 - the run ends with a summary, whatever failed
        outcome.failures.append(_failure_from(exc, stage))
    if not outcome.success:
        disk_full = any(f.disk_full for f in outcome.failures)
        outcome.errors += _clean_up(settings, disk_full)
    _explain_disk_full(outcome, landing)
    if log.error is not None and not any(f.disk_full for f in outcome.failures):
        outcome.errors.append(f"the run log could not be written: {log.error}")
    for failure in outcome.failures:
        log.write(f"\n== {failure.step or 'run'}: {failure.message}\n{failure.details}\n")
        if debug():
            print(failure.details, file=sys.stderr)
    log.close()
    outcome.seconds = time.perf_counter() - started
    return outcome

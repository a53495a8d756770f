"""When the warehouse runs by itself: every day, and when new landing files arrive.

Both share the data folder's run lock with manual runs (lib/runlock.py): while a run holds it,
a tick is skipped with the holder named (the sensor keeps its cursor, so the delivery starts a
run on a later tick), and a run started anyway fails at once with the same message.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import dagster as dg

from ingest.contract import FILE_FORMATS, OPTIONAL_TABLES, TABLES
from lib.runlock import current_holder
from lib.settings import Settings

# The whole graph: load, dbt build, checks, publish. Publishing still waits for the gate.
# In one process (the in-process executor): the run holds the data folder's run lock from its
# first step to its last, and the steps share DuckDB's one writer anyway.
warehouse_job = dg.define_asset_job(
    "warehouse_job",
    selection=dg.AssetSelection.all(),
    description="Load the landing folder, build, check and publish: what `cxw run` runs.",
    executor_def=dg.in_process_executor,
)


def busy_reason(settings: Settings | None = None) -> dg.SkipReason | None:
    """A skip reason naming the run that holds the data folder, or None when it is free."""
    settings = settings or Settings.from_env()
    holder = current_holder(settings.data_dir)
    if holder is None:
        return None
    return dg.SkipReason(
        f"another run is using the data folder {settings.data_dir} ({holder.describe()}): "
        "skipped this tick"
    )


@dg.schedule(
    name="daily_refresh",
    job=warehouse_job,
    cron_schedule=os.environ.get("CXW_DAILY_CRON", "0 6 * * *"),
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Rebuild and republish every morning (CXW_DAILY_CRON, UTC). Turn it on in the UI."
    " Skips the morning's run when another run holds the data folder.",
)
def daily_refresh(context: dg.ScheduleEvaluationContext):
    return busy_reason() or dg.RunRequest()


def _first_present(landing: Path, system: str, name: str) -> Path | None:
    for ext in FILE_FORMATS:
        path = landing / system / f"{name}.{ext}"
        if path.is_file():
            return path
    return None


def landing_fingerprint(landing: Path) -> str | None:
    """A digest of the contract files' names, sizes and modification times, or None when the
    folder does not hold every table yet (a half-delivered export must not start a run). The
    optional support-operations files count when present (a changed one alone starts a run),
    but are never waited for."""
    parts = []
    for t in TABLES:
        path = _first_present(landing, t.system, t.name)
        if path is None:
            return None
        stat = path.stat()
        parts.append(f"{path.relative_to(landing)}:{stat.st_size}:{stat.st_mtime_ns}")
    for t in OPTIONAL_TABLES:
        path = _first_present(landing, t.system, t.name)
        if path is not None:
            stat = path.stat()
            parts.append(f"{path.relative_to(landing)}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@dg.sensor(
    name="landing_sensor",
    job=warehouse_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Starts a run when the landing folder holds a complete, changed set of files.",
)
def landing_sensor(context: dg.SensorEvaluationContext):
    settings = Settings.from_env()
    landing = settings.landing_dir
    busy = busy_reason(settings)
    if busy is not None:
        return busy  # the cursor stays: the delivery starts a run once the folder is free
    fingerprint = landing_fingerprint(landing)
    if fingerprint is None:
        return dg.SkipReason(f"{landing} does not hold every contract table yet")
    if fingerprint == context.cursor:
        return dg.SkipReason(f"no new files in {landing}")
    context.update_cursor(fingerprint)
    return dg.RunRequest(
        run_key=f"landing-{fingerprint}",
        tags={"cxw/landing": str(landing), "cxw/fingerprint": fingerprint},
    )

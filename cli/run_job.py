"""The main job: the whole asset graph, run headlessly through Dagster.

`cxw run` and the tests call `run_main_job`; `dagster dev` shows the same graph and, since
both use the same DAGSTER_HOME, the runs made here. There is no second code path: loading,
dbt, the checks and publishing all happen as Dagster steps.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lib.settings import Settings

DEMO_STAMP = ".cxw-demo.json"


@dataclass
class CheckOutcome:
    asset: str
    name: str
    passed: bool
    severity: str  # ERROR or WARN
    description: str = ""

    @property
    def status(self) -> str:
        if self.passed:
            return "passed"
        return "failed" if self.severity == "ERROR" else "warned"


@dataclass
class JobOutcome:
    success: bool
    published: bool
    settings: Settings
    landing: Path
    seconds: float
    run_id: str = ""
    log: Path | None = None  # dbt's output of the run
    rows_loaded: dict[str, int] = field(default_factory=dict)
    rows_quarantined: dict[str, int] = field(default_factory=dict)
    checks: list[CheckOutcome] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for c in self.checks if c.status == status)

    def summary(self) -> str:
        s = self.settings
        lines = [
            f"main job {'succeeded' if self.success else 'FAILED'} in {self.seconds:.0f}s "
            f"(run {self.run_id[:8]})",
            f"landing folder:    {self.landing}",
        ]
        if self.rows_loaded:
            lines.append("rows loaded / quarantined:")
            for table, rows in self.rows_loaded.items():
                q = self.rows_quarantined.get(table, 0)
                lines.append(f"  {table:<24} {rows:>10,} {q:>8,}")
        lines.append(
            f"checks:            {self.count('passed')} passed, {self.count('warned')} warned, "
            f"{self.count('failed')} failed"
        )
        for c in self.checks:
            if c.status != "passed":
                lines.append(f"  {c.status.upper():<6} {c.asset} {c.name}: {c.description}")
        for step in self.failed_steps:
            lines.append(f"  failed step: {step}")
        for error in self.errors:
            lines.append(f"  {error}")
        if self.published:
            current = s.publish_dir / "current"
            lines.append(f"published:         yes -> {current}")
            lines.append(f"  reports:         {current / 'reports' / 'index.html'}")
            lines.append(f"  summary:         {current / 'summary.md'} (and .html)")
            lines.append(f"  snapshot:        {current / 'snapshot' / 'headline.json'} (and .csv)")
        else:
            lines.append(
                "published:         NO - the last good release and serving database are unchanged"
            )
        lines.append(f"working database:  {s.database}")
        lines.append(f"serving database:  {s.serving_database}")
        lines.append(f"data docs:         {s.quality_dir / 'data_docs' / 'index.html'}")
        if self.log:
            lines.append(f"run log (dbt):     {self.log}")
        return "\n".join(lines)


def ensure_demo_landing(landing: Path, options: dict, progress: Callable[[str], None]) -> bool:
    """Generate demo data into ``landing`` unless it already holds data of these options."""
    stamp = landing / DEMO_STAMP
    wanted = json.dumps(options, sort_keys=True, default=str)
    if stamp.exists() and stamp.read_text() == wanted:
        progress(f"demo landing folder {landing} is up to date")
        return False
    from demo_data.generator import generate

    progress(f"generating demo data ({options['accounts']:,} accounts) into {landing}")
    if options.get("vendors"):
        from demo_data.vendors import generate_vendor_demo, parse_vendors

        rest = {k: v for k, v in options.items() if k != "vendors"}
        generate_vendor_demo(landing, parse_vendors(options["vendors"]), progress=progress, **rest)
    else:
        generate(landing, progress=progress, **options)
    stamp.write_text(wanted)
    return True


def _quarantine_counts(database: Path) -> dict[str, int]:
    import duckdb

    from ingest.contract import TABLES

    counts: dict[str, int] = {}
    try:
        con = duckdb.connect(str(database), read_only=True)
    except duckdb.Error:
        return counts
    try:
        for t in TABLES:
            with contextlib.suppress(duckdb.Error):  # not built: the build failed before it
                counts[t.qualified] = con.execute(
                    f"select count(*) from staging.stg_{t.system}__{t.name}_quarantine"
                ).fetchone()[0]
    finally:
        con.close()
    return counts


def run_main_job(
    settings: Settings,
    *,
    landing: Path | None = None,
    demo: dict | None = None,
    progress: Callable[[str], None] | None = None,
) -> JobOutcome:
    say = progress or (lambda _m: None)
    started = time.perf_counter()
    if landing is None:
        landing = settings.landing_dir
        ensure_demo_landing(landing, demo or {}, say)
    settings = Settings(**{**settings.__dict__, "landing_dir": landing})
    settings.export()
    # which system is read from a vendor's tables (docs/sources.md): a setting, else the
    # landing folder's vendor folders
    from ingest.vendor_tables import export_selection, source_selection

    selection = source_selection(landing)
    export_selection(selection)
    for system, source in selection.items():
        if source != "contract":
            say(
                f"{system}: read from {source} ({landing / source}) through its adapter; the "
                f"raw contract checks of {system} do not apply (docs/sources.md)"
            )
    settings.dagster_home.mkdir(parents=True, exist_ok=True)
    (settings.dagster_home / "dagster.yaml").touch()  # defaults: local run storage

    say("loading the Dagster definitions")
    import dagster as dg

    from orchestration.definitions import build_definitions

    job = build_definitions(settings).resolve_job_def("warehouse_job")
    # dagster-dbt echoes every dbt event to stdout; stdout is for the summary, so dbt's
    # output goes to a log file (the Dagster UI shows it per step as well)
    log = settings.data_dir / "logs" / "main_job.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    say(f"running the asset graph: raw load -> dbt build -> checks -> publish (dbt log: {log})")
    with (
        dg.DagsterInstance.get() as instance,
        log.open("w", encoding="utf-8") as log_file,
        contextlib.redirect_stdout(log_file),
    ):
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        )
    outcome = JobOutcome(
        success=result.success,
        published=False,
        settings=settings,
        landing=landing,
        seconds=0.0,
        run_id=result.run_id,
        log=log,
    )
    for event in result.all_events:
        if event.is_step_failure:
            data = event.step_failure_data
            error = data.error if data else None
            while error is not None and error.cause is not None:
                error = error.cause  # the root cause says what went wrong, not the wrapper
            message = error.message.strip().splitlines()[0] if error else ""
            outcome.failed_steps.append(f"{event.step_key}: {message}")
        elif event.event_type_value == "ASSET_CHECK_EVALUATION":
            ev = event.event_specific_data
            outcome.checks.append(
                CheckOutcome(
                    asset=ev.asset_key.to_user_string(),
                    name=ev.check_name,
                    passed=ev.passed,
                    severity=ev.severity.value,
                    description=(ev.description or "").strip().splitlines()[0]
                    if ev.description
                    else "",
                )
            )
        elif event.is_step_materialization:
            mat = event.event_specific_data.materialization
            key = mat.asset_key
            if key.path[0] == "raw":
                rows = mat.metadata.get("rows")
                if rows is not None:
                    outcome.rows_loaded[f"{key.path[1]}.{key.path[2]}"] = rows.value
            if key.path == ["published", "warehouse"]:
                outcome.published = True
    outcome.rows_quarantined = _quarantine_counts(settings.database)
    outcome.success = result.success and outcome.published and outcome.count("failed") == 0
    outcome.seconds = time.perf_counter() - started
    return outcome

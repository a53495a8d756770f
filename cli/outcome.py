"""What a run of the main job did, read from its Dagster events, and its summary.

The summary opens with the one line that says what to do when the run failed (the loader's
own message naming file and line, not the innermost Python exception underneath it), counts
only what this run did, and names the log that holds the rest (stack traces included).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lib.settings import Settings

# What a failing step was doing, for "disk full while ...".
STAGES = {
    "raw_tables": "loading the landing files into the working database",
    "dbt_models": "building the working database (dbt build)",
    "published_warehouse": "publishing the serving database and release",
}
# Assets checked after the release is published (the alert rules and their delivery): the
# release's reports count the checks before publishing, so the summary names these apart.
AFTER_PUBLISH_ASSETS = frozenset({"published/alerts"})
# Our own packages raise errors whose message already says what to do.
OWN_PACKAGES = (
    "ingest.",
    "lib.",
    "cli.",
    "publishing.",
    "quality.",
    "orchestration.",
    "demo_data.",
)


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
class Failure:
    """One failure of the run: where, the line for the user, and the full text for the log."""

    step: str  # step key, or "" for the run itself
    message: str  # one line that says what happened and what to do
    details: str = ""  # stack traces: to the log, and to the terminal with CXW_DEBUG=1
    disk_full: bool = False
    path: str | None = None  # the file being written, when the error names one


@dataclass
class JobOutcome:
    success: bool
    published: bool
    settings: Settings
    landing: Path
    seconds: float
    run_id: str = ""
    log: Path | None = None  # dbt's output, Dagster's log and the stack traces of the run
    rows_loaded: dict[str, int] = field(default_factory=dict)
    rows_quarantined: dict[str, int] = field(default_factory=dict)
    checks: list[CheckOutcome] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    materialized: set[str] = field(default_factory=set)  # asset keys this run materialized
    notes: list[str] = field(default_factory=list)  # e.g. why staging was rebuilt in full

    def count(self, status: str, *, after_publish: bool | None = None) -> int:
        """Checks with this status; ``after_publish`` True / False keeps only the checks of
        the assets checked after publishing / the release's own checks (None: all)."""
        return sum(
            1
            for c in self.checks
            if c.status == status
            and (after_publish is None or (c.asset in AFTER_PUBLISH_ASSETS) == after_publish)
        )

    def first_message(self) -> str | None:
        """The first actionable line of a failed run, or None when it succeeded."""
        if self.failures:
            return self.failures[0].message
        failed = [c for c in self.checks if c.status == "failed"]
        if failed:
            c = failed[0]
            more = f" (and {len(failed) - 1} more, below)" if len(failed) > 1 else ""
            return f"blocking check failed on {c.asset}: {c.name}: {c.description}{more}"
        if not self.success and not self.published:
            return "nothing was published: see the steps below and the run log"
        return None

    def summary(self) -> str:
        s = self.settings
        lines = []
        first = None if self.success else self.first_message()
        if first:
            lines.append(f"error: {first}")
        lines += [
            f"main job {'succeeded' if self.success else 'FAILED'} in {self.seconds:.0f}s"
            + (f" (run {self.run_id[:8]})" if self.run_id else ""),
            f"landing folder:    {self.landing}",
        ]
        lines += [f"note:              {note}" for note in self.notes]
        if self.rows_loaded:
            lines.append("rows loaded / quarantined (this run):")
            for table, rows in self.rows_loaded.items():
                q = self.rows_quarantined.get(table)
                lines.append(f"  {table:<24} {rows:>10,} {'-' if q is None else f'{q:,}':>8}")
        lines.append(
            "checks:            "
            + _check_counts(*(self.count(s, after_publish=False) for s in STATUSES))
            + " (the release's checks, as its reports count them)"
        )
        after = [self.count(s, after_publish=True) for s in STATUSES]
        if any(after):
            lines.append("  after publishing: " + _check_counts(*after) + " (alert rules)")
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
            lines.append(f"  alerts:          {_alerts_line(current / 'alerts.json')}")
        else:
            lines.append(
                "published:         NO - the last good release and serving database are unchanged"
            )
        lines.append(f"working database:  {s.database}")
        lines.append(f"serving database:  {s.serving_database}")
        lines.append(f"data docs:         {s.quality_dir / 'data_docs' / 'index.html'}")
        if self.log:
            traces = " (stack traces; CXW_DEBUG=1 prints them)" if self.failures else ""
            lines.append(f"run log:           {self.log}{traces}")
        return "\n".join(lines)


def _chain(error) -> list:
    """An error and its causes, outermost first (explicit cause, else implicit context)."""
    chain, seen = [], set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        chain.append(error)
        error = error.cause or error.context
    return chain


def _first_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
    return lines[0] if lines else ""


def _own_message(error) -> str | None:
    """The message of an error our code raised on purpose, without its class name."""
    text = _first_line(error.message)
    head, sep, rest = text.partition(": ")
    if sep and head.startswith(OWN_PACKAGES):
        return rest
    return None


def actionable(error) -> tuple[str, bool, str | None]:
    """(one line, disk full?, file written) for a Dagster SerializableErrorInfo.

    Dagster wraps what a step raised (DagsterExecutionStepExecutionError ...), and the loader
    wraps what it caught (a LandingError naming file and line, raised from a
    UnicodeDecodeError or csv.Error): the line to show is the outermost error that is not a
    Dagster wrapper; a disk-full error anywhere in the chain is reported as that."""
    from lib.diskspace import SQLITE_IO_ERROR, is_disk_full, written_path

    chain = _chain(error)
    for e in chain:
        if is_disk_full(e.message):
            return _first_line(e.message), True, written_path(e.message)
        if SQLITE_IO_ERROR in e.message:
            return _first_line(e.message), True, None
    for e in chain:
        cls_name = e.cls_name or ""
        if cls_name.startswith("Dagster") and "Dbt" not in cls_name:
            continue
        own = _own_message(e)
        if own:
            return own, False, None
        text = _first_line(e.message)
        if "Dbt" in cls_name:
            return f"dbt build failed: {text.removeprefix(cls_name + ': ')}", False, None
        return f"{text} (an unexpected error: its stack trace is in the run log)", False, None
    return _first_line(chain[-1].message) if chain else "unknown error", False, None


def read_events(outcome: JobOutcome, events: Iterable) -> None:
    """Fill ``outcome`` from the run's Dagster events."""
    for event in events:
        data = event.event_specific_data
        error = getattr(data, "error", None)
        if event.is_step_failure or (error is not None and not event.step_key):
            if error is None:
                continue
            message, disk_full, path = actionable(error)
            step = event.step_key or ""
            if any(e.cls_name == "DagsterAssetCheckFailedError" for e in _chain(error)):
                # a blocking check failed: the checks say which and why (first_message)
                text = _first_line(error.message).rpartition("DagsterAssetCheckFailedError: ")[2]
                if event.is_step_failure:
                    outcome.failed_steps.append(f"{step}: {text}")
                continue
            if any(f.step == step and f.message == message for f in outcome.failures):
                continue  # the run failure repeats the resource failure
            outcome.failures.append(Failure(step, message, error.to_string(), disk_full, path))
            if event.is_step_failure:
                outcome.failed_steps.append(f"{event.step_key}: {message}")
        elif event.event_type_value == "ASSET_CHECK_EVALUATION":
            outcome.checks.append(
                CheckOutcome(
                    asset=data.asset_key.to_user_string(),
                    name=data.check_name,
                    passed=data.passed,
                    severity=data.severity.value,
                    description=_first_line(data.description or ""),
                )
            )
        elif event.event_type_value == "ASSET_OBSERVATION":
            note = data.asset_observation.metadata.get("note")
            if note is not None:
                outcome.notes.append(note.value)
        elif event.is_step_materialization:
            mat = data.materialization
            key = mat.asset_key
            outcome.materialized.add(key.to_user_string())
            if key.path[0] == "raw":
                rows = mat.metadata.get("rows")
                if rows is not None:
                    outcome.rows_loaded[f"{key.path[1]}.{key.path[2]}"] = rows.value
            if key.path == ["published", "warehouse"]:
                outcome.published = True


STATUSES = ("passed", "warned", "failed")


def _check_counts(passed: int, warned: int, failed: int) -> str:
    return f"{passed} passed, {warned} warned, {failed} failed"


def _alerts_line(path: Path) -> str:
    """How many alerts the rules raised for the release (delivery is logged by its asset)."""
    if not path.exists():
        return "not evaluated"
    alerts = json.loads(path.read_text()).get("alerts", [])
    if not alerts:
        return f"none raised ({path})"
    worst = min(alerts, key=lambda a: {"critical": 0, "warning": 1}.get(a["severity"], 2))
    return f"{len(alerts)} raised, e.g. {worst['message']} ({path})"

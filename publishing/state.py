"""The last good release, and what the next run's checks compare against.

This module owns three things and is the only one that reads or writes them:

* ``<publish>/current``: the link to the last good release (switched by ``release.Publication``);
* ``state.json`` inside a release: per relation, the row count and the headline values that
  the next run's checks compare with (row-count collapse, jump bands). It is built from the
  run's check results (``<quality>/runs/<run id>/<layer>.json``, written by the checks);
* ``<publish>/staging_inputs.json``: per warehouse, the fingerprints of what its staged rows
  were judged with (seeds, base_ models, macros: lib/staging_guard.py), recorded after the
  last build that staged every base_ model; a build whose inputs differ is a full refresh.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from lib import staging_guard
from lib.atomic import replaced_atomically

STATE_FILE = "state.json"
STAGING_INPUTS_FILE = "staging_inputs.json"
HEADLINE_FILE = Path("snapshot") / "headline.json"


def current_release(publish_dir: Path) -> Path | None:
    """The folder of the last good release, or None before the first."""
    link = Path(publish_dir) / "current"
    return link.resolve() if link.exists() else None


def write_json(path: Path, payload: dict) -> None:
    path.write_text(json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n")


def _read_json(path: Path | None) -> dict | None:
    return json.loads(path.read_text()) if path and path.exists() else None


def state_from_results(quality_dir: Path) -> dict:
    """Row counts and jump-band values of every checked relation, from a run's check results."""
    counts, values = {}, {}
    for path in sorted(Path(quality_dir).glob("*.json")):
        for suite in json.loads(path.read_text())["suites"]:
            counts[suite["relation"]] = suite["rows"]
            if suite.get("values"):
                values[suite["relation"]] = suite["values"]
    return {"row_counts": counts, "values": values}


def write_state(release_dir: Path, run_id: str, quality_dir: Path) -> None:
    """Record, in a release being prepared, what the next run's checks compare against."""
    write_json(release_dir / STATE_FILE, {"run_id": run_id, **state_from_results(quality_dir)})


def previous_state(publish_dir: Path) -> dict:
    """Row counts and headline figures of the last good release (empty before the first)."""
    release = current_release(publish_dir)
    return _read_json(release / STATE_FILE if release else None) or {}


def previous_headline(publish_dir: Path) -> dict | None:
    """The headline snapshot of the last good release, to say what changed since."""
    release = current_release(publish_dir)
    return _read_json(release / HEADLINE_FILE if release else None)


def staged_inputs(publish_dir: Path, warehouse: str) -> dict | None:
    """The fingerprints recorded for this warehouse (lib/staging_guard.warehouse_identity),
    or None when there are none (its first guarded build, or a record that cannot be read)."""
    try:
        records = _read_json(Path(publish_dir) / STAGING_INPUTS_FILE) or {}
    except (OSError, ValueError):
        return None
    record = records.get(warehouse)
    return record.get("inputs") if isinstance(record, dict) else None


def record_staged_inputs(publish_dir: Path, warehouse: str, inputs: dict, run_id: str = "") -> bool:
    """Record, after a build that staged every base_ model, what it staged them with. The
    file is replaced in one step; when it cannot be written (a full disk) the old record
    stays and nothing is left behind, so the next run rebuilds in full at worst. Returns
    whether it was written."""
    path = Path(publish_dir) / STAGING_INPUTS_FILE
    try:
        try:
            records = _read_json(path) or {}
        except ValueError:
            records = {}
        records[warehouse] = {"run_id": run_id, "inputs": inputs}
        path.parent.mkdir(parents=True, exist_ok=True)
        with replaced_atomically(path) as tmp:
            write_json(tmp, records)
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class StagingGuard:
    """What a build does about incremental staging, decided by `guard_staging`: `reason` is
    one line when the build must be a full refresh (else None); `inputs` the fingerprints to
    record after it ({} where staging is not guarded: nothing to record); `staging` the names
    of the base_ staging models, every one of which the build must stage to record."""

    where: str
    inputs: dict
    reason: str | None
    staging: frozenset[str]

    def record(self, publish_dir: Path, built: Iterable[str], run_id: str = "") -> bool:
        """Record the inputs when every base_ staging model is among the models `built`
        (names of models the build wrote); a build that left one out (`--select`, a failure)
        records nothing. Returns whether it was written."""
        if not self.inputs or not self.staging <= set(built):
            return False
        return record_staged_inputs(publish_dir, self.where, self.inputs, run_id)


def guard_staging(
    publish_dir: Path, manifest: Mapping, target: str, project_dir: Path, asked: bool = False
) -> StagingGuard:
    """The staging guard of a build on `target` (lib/staging_guard.py), for the main job and
    `cxw build`: the fingerprints of `manifest` (the parsed project, as manifest.json holds
    it) compared with this warehouse's record; `asked`: the user asked for --full-refresh."""
    where = staging_guard.warehouse_identity(target)
    staging = frozenset(uid.rsplit(".", 1)[-1] for uid in staging_guard.staging_models(manifest))
    if not staging_guard.guarded(target):  # Spark: staging is rebuilt in full every build
        return StagingGuard(where, {}, staging_guard.rebuild_reason({}, {}, asked), staging)
    inputs = staging_guard.fingerprints(manifest, staging_guard.project_vars(project_dir))
    recorded = staged_inputs(publish_dir, where)
    return StagingGuard(
        where, inputs, staging_guard.rebuild_reason(inputs, recorded, asked), staging
    )

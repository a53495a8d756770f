"""The last good release, and what the next run's checks compare against.

This module owns two things and is the only one that reads or writes them:

* ``<publish>/current``: the link to the last good release (switched by ``release.Publication``);
* ``state.json`` inside a release: per relation, the row count and the headline values that
  the next run's checks compare with (row-count collapse, jump bands). It is built from the
  run's check results (``<quality>/runs/<run id>/<layer>.json``, written by the checks).
"""

from __future__ import annotations

import json
from pathlib import Path

STATE_FILE = "state.json"
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

"""dagster-dbt gives every dbt command it starts a folder of its own under target/
(`<step>-<run id>-<random>`: the compiled SQL, run_results.json and dbt.log of that command),
~30 MB at the demo's size, and never removes one: a daily schedule would fill the disk. The
main job keeps the newest few, enough to read what the last runs did."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

KEEP = 5
# dagster-dbt's name of an invocation's folder: <op name>-<first 7 of the run id>-<7 random>
INVOCATION_FOLDER = re.compile(r"^[A-Za-z0-9_]+-[0-9a-f]{7}-[0-9a-f]{7}$")


def prune(target_dir: Path, keep: int = KEEP) -> list[Path]:
    """Remove all but the `keep` newest invocation folders in `target_dir` (by modification
    time); other files and folders (dbt's own manifest.json, compiled/, run/) stay. Returns
    what was removed. A folder that cannot be removed is left."""
    try:
        folders = [
            p for p in Path(target_dir).iterdir() if p.is_dir() and INVOCATION_FOLDER.match(p.name)
        ]
    except OSError:
        return []
    folders.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    removed = []
    for old in folders[keep:]:
        shutil.rmtree(old, ignore_errors=True)
        if not old.exists():
            removed.append(old)
    return removed

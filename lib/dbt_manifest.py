"""The dbt manifest (`target/manifest.json`, `target/semantic_manifest.json`): is it current,
and `dbt parse` when it is not.

Dependency-free on purpose (no Dagster, no dbt import until a parse is needed): `cxw mf`
checks the manifest on every call and must start in well under a second.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from lib.settings import PROJECT_DIR, SOURCE_VARIABLE

TARGET_DIR = PROJECT_DIR / "target"
MANIFEST_PATH = TARGET_DIR / "manifest.json"
SEMANTIC_MANIFEST_PATH = TARGET_DIR / "semantic_manifest.json"

# what `dbt parse` reads: a file newer than the manifest makes it stale
_PROJECT_INPUTS = ("models", "macros", "seeds", "tests/dbt", "dbt_project.yml", "profiles.yml")


def _newest_input() -> float:
    newest = 0.0
    for name in _PROJECT_INPUTS:
        path = PROJECT_DIR / name
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
        elif path.is_dir():
            for p in path.rglob("*"):
                if p.is_file():
                    newest = max(newest, p.stat().st_mtime)
    return newest


def _selection_stamp() -> str:
    """Which source each system is read from (CXW_<SYSTEM>_SOURCE): it decides which models
    the manifest holds (the vendor adapters are enabled by it)."""
    return ",".join(
        f"{system}={os.environ.get(name, '') or 'contract'}"
        for system, name in sorted(SOURCE_VARIABLE.items())
    )


def _stamp_path(manifest: Path) -> Path:
    return manifest.with_name("source_selection.txt")


def manifest_is_current(manifest: Path | None = None) -> bool:
    manifest = manifest or MANIFEST_PATH
    stamp = _stamp_path(manifest)
    selection = (
        stamp.read_text() if stamp.exists() else "crm=contract,survey=contract,ticketing=contract"
    )
    return (
        manifest.exists()
        and manifest.stat().st_mtime >= _newest_input()
        and selection == _selection_stamp()
    )


def ensure_manifest(progress: Callable[[str], None] | None = None) -> Path:
    """Run `dbt parse` when the manifest is missing or older than the project's files.

    Dagster builds its asset graph from the manifest, so it must exist before the
    definitions load (`dagster dev`, `cxw run`, tests); MetricFlow reads the semantic
    manifest written beside it. Parsing takes a few seconds; an up-to-date manifest is reused.
    """
    if manifest_is_current() and SEMANTIC_MANIFEST_PATH.exists():
        return MANIFEST_PATH
    if progress:
        progress("parsing the dbt project (manifest missing or out of date)")
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(
        ["parse", "--quiet", "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    )
    if not result.success:
        raise RuntimeError(f"dbt parse failed: {result.exception or 'see the dbt log above'}")
    _stamp_path(MANIFEST_PATH).write_text(_selection_stamp())
    return MANIFEST_PATH

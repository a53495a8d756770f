"""The dbt project as Dagster sees it, and the manifest it needs before definitions load."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from dagster_dbt import DbtProject

from lib.settings import PROJECT_DIR

dbt_project = DbtProject(
    project_dir=PROJECT_DIR,
    profiles_dir=PROJECT_DIR,
    target=os.environ.get("DBT_TARGET", "duckdb"),
)

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
    from ingest.vendor_tables import SOURCE_VARIABLE

    return ",".join(
        f"{system}={os.environ.get(name, '') or 'contract'}"
        for system, name in sorted(SOURCE_VARIABLE.items())
    )


def _stamp_path(manifest: Path) -> Path:
    return manifest.with_name("source_selection.txt")


def manifest_is_current(manifest: Path | None = None) -> bool:
    manifest = manifest or dbt_project.manifest_path
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
    definitions load (`dagster dev`, `cxw run`, tests). Parsing takes a few seconds; an
    up-to-date manifest is reused.
    """
    if manifest_is_current():
        return dbt_project.manifest_path
    if progress:
        progress("parsing the dbt project (manifest missing or out of date)")
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(
        ["parse", "--quiet", "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    )
    if not result.success:
        raise RuntimeError(f"dbt parse failed: {result.exception or 'see the dbt log above'}")
    _stamp_path(dbt_project.manifest_path).write_text(_selection_stamp())
    return dbt_project.manifest_path

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


def manifest_is_current(manifest: Path | None = None) -> bool:
    manifest = manifest or dbt_project.manifest_path
    return manifest.exists() and manifest.stat().st_mtime >= _newest_input()


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
    return dbt_project.manifest_path

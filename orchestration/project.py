"""The dbt project as Dagster sees it, and the manifest it needs before definitions load."""

from __future__ import annotations

import os

from dagster_dbt import DbtProject

from lib.dbt_manifest import ensure_manifest, manifest_is_current
from lib.settings import PROJECT_DIR

dbt_project = DbtProject(
    project_dir=PROJECT_DIR,
    profiles_dir=PROJECT_DIR,
    target=os.environ.get("DBT_TARGET", "duckdb"),
)

# the manifest's freshness check and `dbt parse` live in lib (no Dagster import there, so
# that `cxw mf` starts fast); re-exported here for the code location and the tests
__all__ = ["dbt_project", "ensure_manifest", "manifest_is_current"]

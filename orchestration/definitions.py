"""The one Dagster entry point: `dagster dev -m orchestration.definitions` and `cxw run`."""

from __future__ import annotations

import dagster as dg

from lib.settings import Settings
from orchestration.project import ensure_manifest

# The asset graph is read from dbt's manifest: make sure it exists and is current first.
ensure_manifest()

from orchestration.assets.alerts import alert_deliveries  # noqa: E402
from orchestration.assets.dbt import dbt_models  # noqa: E402
from orchestration.assets.publish import published_warehouse  # noqa: E402
from orchestration.assets.raw import raw_tables  # noqa: E402
from orchestration.checks.expectations import mart_expectations, raw_expectations  # noqa: E402
from orchestration.resources import build_resources  # noqa: E402
from orchestration.schedules import daily_refresh, landing_sensor, warehouse_job  # noqa: E402


def build_definitions(settings: Settings | None = None) -> dg.Definitions:
    """The graph with resources for ``settings`` (default: from the environment)."""
    return dg.Definitions(
        assets=[raw_tables, dbt_models, published_warehouse, alert_deliveries],
        asset_checks=[c for c in (raw_expectations, mart_expectations) if c is not None],
        jobs=[warehouse_job],
        schedules=[daily_refresh],
        sensors=[landing_sensor],
        resources=build_resources(settings),
        # one process per run, so that a run holds the data folder's run lock throughout
        # (orchestration/resources.py); also what the UI's "Materialize" buttons use
        executor=dg.in_process_executor,
    )


defs = build_definitions()

"""Every dbt seed, model and test, as assets and asset checks through dagster-dbt."""

import json
import os
from collections.abc import Iterable, Iterator
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from lib import staging_guard
from orchestration.project import dbt_project
from orchestration.resources import WarehouseResource
from orchestration.translator import CxTranslator
from publishing.state import guard_staging


class DbtBuildConfig(dg.Config):
    """`cxw run --full-refresh` (or the launchpad): rebuild every incremental model in full."""

    full_refresh: bool = False


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=CxTranslator(),
    name="dbt_models",
)
def dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
    config: DbtBuildConfig,
):
    """`dbt build`: seeds, models and their data tests. Tests of severity error are blocking
    checks, so nothing downstream (publishing) runs on data that failed them. dbt unit tests
    check SQL logic on fixed inputs, not the data: they run in the test suite and CI
    (`./cxw test`), not on every production run.

    The staging guard (lib/staging_guard.py): with `--full-refresh` when what the staged rows
    were judged with (seeds, base_ models, macros) changed since the last build that staged
    them all, or when asked; the reason goes to the run summary (an observation's `note`)."""
    target = os.environ.get("DBT_TARGET", "duckdb")
    manifest = json.loads(dbt_project.manifest_path.read_text())
    guard = guard_staging(
        warehouse.publish_path, manifest, target, dbt_project.project_dir, config.full_refresh
    )
    args = ["build", "--exclude-resource-type", "unit_test"]
    if guard.reason:
        args.append("--full-refresh")
        context.log.warning(guard.reason)
        yield dg.AssetObservation(asset_key=_staging_key(context), metadata={"note": guard.reason})
    staged = set()
    events = dbt.cli(args, context=context).stream()
    try:
        for event in described_checks(events, context.assets_def.check_specs):
            if isinstance(event, dg.Output):
                staged.add(context.assets_def.keys_by_output_name[event.output_name].path[-1])
            elif isinstance(event, dg.AssetMaterialization):
                staged.add(event.asset_key.path[-1])
            yield event
    finally:  # when every base_ model was staged with these inputs
        guard.record(warehouse.publish_path, staged, context.run.run_id)


def _staging_key(context: dg.AssetExecutionContext) -> dg.AssetKey:
    """The asset the guard's observation is about: a base_ staging model (else any)."""
    keys = sorted(context.assets_def.keys, key=lambda k: k.to_user_string())
    base = [k for k in keys if k.path[-1].startswith(staging_guard.STAGING_PREFIX)]
    return (base or keys)[0]


def described_checks(events: Iterable[Any], specs: Iterable[dg.AssetCheckSpec]) -> Iterator[Any]:
    """dagster-dbt reports a test's result without words; give each check result its check's
    description (what the test covers), so the run summary and the UI say what failed."""
    words = {spec.key: spec.description for spec in specs if spec.description}
    for event in events:
        if isinstance(event, dg.AssetCheckResult) and not event.description:
            key = dg.AssetCheckKey(event.asset_key, event.check_name)
            if key in words:
                event = event._replace(description=words[key])
        yield event

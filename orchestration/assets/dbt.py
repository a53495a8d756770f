"""Every dbt seed, model and test, as assets and asset checks through dagster-dbt."""

from collections.abc import Iterable, Iterator
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.project import dbt_project
from orchestration.translator import CxTranslator


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=CxTranslator(),
    name="dbt_models",
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """`dbt build`: seeds, models and their data tests. Tests of severity error are blocking
    checks, so nothing downstream (publishing) runs on data that failed them. dbt unit tests
    check SQL logic on fixed inputs, not the data: they run in the test suite and CI
    (`./cxw test`), not on every production run."""
    events = dbt.cli(["build", "--exclude-resource-type", "unit_test"], context=context).stream()
    yield from described_checks(events, context.assets_def.check_specs)


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

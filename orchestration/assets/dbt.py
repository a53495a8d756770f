"""Every dbt seed, model and test, as assets and asset checks through dagster-dbt."""

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
    yield from dbt.cli(["build", "--exclude-resource-type", "unit_test"], context=context).stream()

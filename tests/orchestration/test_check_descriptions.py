"""A dbt test's own `description` reaches its Dagster check and the check's result, so the run
summary and the UI say what a failed or warned test covers (dagster-dbt alone reads only the
test's `meta.description` and reports results without words)."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.dbt import dbt_models, described_checks


def _spec(asset: str, name: str) -> dg.AssetCheckSpec:
    key = dg.AssetCheckKey(dg.AssetKey(asset.split("/")), name)
    return next(spec for spec in dbt_models.check_specs if spec.key == key)


def test_a_merged_column_test_describes_its_columns():
    spec = _spec("marts/customers", "customers_column_rules")
    assert spec.description and "loyalty_stage" in spec.description


def test_results_get_their_checks_description_and_keep_their_own():
    spec = _spec("marts/customers", "customers_column_rules")
    bare = dg.AssetCheckResult(passed=False, asset_key=spec.key.asset_key, check_name=spec.key.name)
    worded = bare._replace(description="said by dbt")
    other = dg.AssetMaterialization(asset_key="x")
    out = list(described_checks([bare, worded, other], dbt_models.check_specs))
    assert out[0].description == spec.description
    assert out[1].description == "said by dbt"
    assert out[2] is other

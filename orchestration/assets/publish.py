"""Publishing: the serving database and a release of snapshot and reports, after the gate."""

import dagster as dg

from orchestration.assets.dbt import dbt_models
from orchestration.publishing import (
    build_serving_database,
    new_release_dir,
    switch_current,
    write_json,
)
from orchestration.resources import WarehouseResource

PUBLISHED_KEY = dg.AssetKey(["published", "warehouse"])

# Publishing waits for the whole dbt build (and so for every blocking check on it); what it
# copies to the serving database is the marts, metrics and reference schemas.
PUBLISHED_INPUTS = sorted(dbt_models.keys, key=lambda k: k.to_user_string())


@dg.asset(
    key=PUBLISHED_KEY,
    deps=PUBLISHED_INPUTS,
    group_name="published",
    kinds={"duckdb", "html"},
    description="The serving database (marts, metrics, reference only) and a new release of "
    "the headline snapshot and reports. Runs only when every blocking check upstream passed; "
    "otherwise the last good release stays in place.",
)
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    release = new_release_dir(warehouse.publish_path, context.run_id)
    counts = build_serving_database(warehouse.database_path, warehouse.serving_path)
    context.log.info(f"serving database {warehouse.serving_path}: {len(counts)} tables")
    write_json(
        release / "release.json",
        {
            "run_id": context.run_id,
            "serving_database": str(warehouse.serving_path),
            "tables": counts,
        },
    )
    switch_current(warehouse.publish_path, release)
    return dg.MaterializeResult(
        metadata={
            "release": dg.MetadataValue.path(str(release)),
            "serving_database": dg.MetadataValue.path(str(warehouse.serving_path)),
            "tables": len(counts),
        }
    )

"""The raw layer: one asset per contract table and per vendor table (`raw/<vendor>/<table>`,
e.g. `raw/zendesk/ticket`, when a system comes from a vendor's folder), all loaded by one step
from the landing folder. Each is materialized when its file was delivered."""

import dagster as dg

from ingest.contract import TABLES
from ingest.landing import load_landing
from ingest.vendor_tables import COLUMN_TYPES, OPTIONAL_VENDOR_TABLES, SYSTEM_OF
from lib.faults import fault_point
from orchestration.resources import WarehouseResource


def raw_asset_key(system: str, table: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", system, table])


RAW_SPECS = [
    dg.AssetSpec(
        raw_asset_key(t.system, t.name),
        group_name="raw",
        description=f"`{t.raw_schema}.{t.name}`: the landing file {t.system}/{t.name}.csv or "
        ".parquet as delivered, every value text, plus lineage columns.",
        kinds={"duckdb"},
        metadata={"contract_columns": ", ".join(t.column_names), "key": ", ".join(t.key)},
        skippable=True,  # not delivered when a vendor's folder feeds the system
    )
    for t in TABLES
] + [
    dg.AssetSpec(
        raw_asset_key(vendor, name),
        group_name="raw",
        description=f"`{vendor}.{name}`: {vendor}/{name}.csv or .parquet as Fivetran lands "
        f"it (typed), read by the {vendor} adapter when {SYSTEM_OF[vendor]} comes from "
        f"{vendor} (docs/sources.md).",
        kinds={"duckdb"},
        metadata={"vendor": vendor, "feeds": SYSTEM_OF[vendor]},
        skippable=True,
    )
    for vendor, tables in COLUMN_TYPES.items()
    for name in tables
    if name not in OPTIONAL_VENDOR_TABLES.get(vendor, ())  # external, as optional tables
]
_KEYS = {spec.key for spec in RAW_SPECS}


@dg.multi_asset(specs=RAW_SPECS, name="raw_tables", can_subset=False)
def raw_tables(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Check every landing file against the raw contract, then load all in one transaction.

    A missing file or column fails the step before anything is written, so dbt never builds
    on a half-loaded raw layer."""
    result = load_landing(
        warehouse.landing_path,
        warehouse.database_path,
        mode=warehouse.delivery_mode,
        progress=context.log.info,
    )
    for warning in result.warnings:
        context.log.warning(warning)
    fault_point("build:after-raw-load")
    for f in result.files:
        key = raw_asset_key(f.table.system, f.table.name)
        metadata = {
            "rows": dg.MetadataValue.int(f.rows),
            "source_file": dg.MetadataValue.path(str(f.path)),
            "batch_id": f.digest,
            "unchanged_since_last_load": f.skipped,
            "delivered_rows": dg.MetadataValue.int(f.delivered),
            "merged_by_key": f.merged,
            "extra_columns": ", ".join(f.extra_columns),
        }
        if key not in _KEYS:
            # an optional table (ingest.contract OPTIONAL_TABLES, e.g. ticketing.schedules)
            # stays an external asset, so that a delivery without it does not skip the dbt
            # step: its load is reported as a materialization event of that asset
            context.log_event(dg.AssetMaterialization(asset_key=key, metadata=metadata))
            continue
        yield dg.MaterializeResult(asset_key=key, metadata=metadata)
    for v in result.vendor_files:
        key = raw_asset_key(v.vendor, v.table)
        if v.table in OPTIONAL_VENDOR_TABLES.get(v.vendor, ()):
            # an optional vendor table (zendesk.schedule ...) stays external, as above
            context.log_event(
                dg.AssetMaterialization(
                    asset_key=key, metadata={"rows": dg.MetadataValue.int(v.rows)}
                )
            )
            continue
        if key not in _KEYS:
            context.log.warning(f"{v.path}: loaded into {v.qualified}; no adapter reads it")
            continue
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={
                "rows": dg.MetadataValue.int(v.rows),
                "source_file": dg.MetadataValue.path(str(v.path)),
                "text_columns": ", ".join(v.text_columns),
            },
        )

"""How dbt nodes become Dagster assets: keys and groups follow the dbt folders and schemas."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtProject


class CxTranslator(DagsterDbtTranslator):
    """Sources are the raw tables the loader writes (`raw/<system>/<table>`), so the loader's
    assets and dbt's sources are one node; models are keyed by schema and name
    (`marts/customers`), which is where a BI user finds them; groups are the dbt folders
    (`staging`, `intermediate`, `marts_core`, `marts_metrics`, ...), so the graph reads as
    the layers do."""

    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    def get_asset_check_spec(
        self,
        asset_spec: dg.AssetSpec,
        manifest: Mapping[str, Any],
        unique_id: str,
        project: DbtProject | None,
    ) -> dg.AssetCheckSpec | None:
        """dagster-dbt describes a check only from the test's `meta.description`; ours say what
        they check in the test's own `description` (a `column_rules` test lists the columns and
        rules it covers), so that text becomes the check's description."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        description = (manifest["nodes"].get(unique_id) or {}).get("description") or None
        return spec._replace(description=description) if description else spec

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(
                ["raw", dbt_resource_props["source_name"], dbt_resource_props["name"]]
            )
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return "raw"
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props["fqn"]
        layer = fqn[1] if len(fqn) > 2 else "models"
        if layer == "marts" and len(fqn) > 3:
            return f"marts_{fqn[2]}"
        return layer

"""Every model's YAML lists exactly the columns its relation has, in the main job's working
database: the descriptions cover every column, and the incremental staging models' column
check (macros/incremental_staging.sql, `staging_check_columns`), which compares a built
table with what the YAML lists, never stops a build whose SQL did not change."""

from __future__ import annotations

import json

import duckdb

from orchestration.project import dbt_project


def yaml_and_built_columns(manifest: dict, database) -> dict[str, tuple[set, set]]:
    """{model: (columns its YAML lists, columns its relation has)} of every model the
    manifest builds as a relation (not ephemeral), names lowercased."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        built: dict[tuple[str, str], set[str]] = {}
        for schema, table, column in con.execute(
            "select table_schema, table_name, column_name from information_schema.columns"
        ).fetchall():
            built.setdefault((schema.lower(), table.lower()), set()).add(column.lower())
    finally:
        con.close()
    found = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["config"]["materialized"] == "ephemeral":
            continue
        relation = (node["schema"].lower(), (node.get("alias") or node["name"]).lower())
        listed = {name.lower() for name in node.get("columns", {})}
        found[node["name"]] = (listed, built.get(relation, set()))
    return found


def test_every_model_yaml_lists_exactly_its_columns(demo_run, demo_settings):
    manifest = json.loads(dbt_project.manifest_path.read_text())
    found = yaml_and_built_columns(manifest, demo_settings.database)
    assert len(found) >= 60  # every model of the default build
    not_built = sorted(model for model, (_listed, built) in found.items() if not built)
    assert not_built == [], f"models without a relation in the working database: {not_built}"
    differ = {
        model: {"not in the YAML": sorted(built - listed), "not built": sorted(listed - built)}
        for model, (listed, built) in sorted(found.items())
        if listed != built
    }
    assert differ == {}, f"models whose YAML columns differ from their relation's: {differ}"

"""The guard of incremental staging: when a full refresh is needed, and why.

The base_ staging models judge a raw row once, when its batch first arrives
(macros/incremental_staging.sql). A row staged earlier keeps the verdict and the mapped
values it got then: after a change to a reference seed (seeds/reference/channel_map.csv ...),
to a base_ model's SQL or config, or to a macro they call, only a full refresh judges the old
rows again. So the main job fingerprints, from the dbt manifest, everything the staged rows
depend on, compares it with the fingerprints recorded after the last build that staged every
base_ model (publishing/state.py), and builds with `--full-refresh` when they differ or when
there is no record (the first guarded run).

The fingerprints cover the base_ models and every model and seed upstream of them (the stg_
views they look parents up in, vendor adapter models, seeds): each one's checksum, its
upstream nodes and the config that decides how it is written; the macros of this project they
call, directly or through other macros (their text); the project vars and environment
variables named in that SQL (their values, hashed). Only hashes are recorded. Not on Spark
(`guarded`), where the base_ models are tables rebuilt in full on every build.

Dependency-free (json, re, hashlib): no dbt or Dagster import.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path

STAGING_PREFIX = "base_"
_BASE_FOLDER = re.compile(r"models/staging/[^/]+/base/")
# the config that decides how a staged row is written (the SQL is in the checksum); not
# `materialized`, which depends on the target the manifest was parsed for (a table on Spark)
WRITE_CONFIG = (
    "incremental_strategy",
    "unique_key",
    "on_schema_change",
    "pre-hook",
    "post-hook",
)
_VAR = re.compile(r"""\bvar\(\s*['"]([A-Za-z0-9_]+)['"]""")
_WORD = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\(")  # a call: name(
_ENV_VAR = re.compile(r"""\benv_var\(\s*['"]([A-Za-z0-9_]+)['"]""")


def _digest(value: object) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def staging_models(manifest: Mapping) -> list[str]:
    """The unique ids of the incremental base_ staging models (models/staging/<system>/base;
    not the support tables' base_ models, which are tables rebuilt on every build)."""
    return sorted(
        uid
        for uid, node in manifest.get("nodes", {}).items()
        if node.get("resource_type") == "model"
        and node.get("name", "").startswith(STAGING_PREFIX)
        and _BASE_FOLDER.match(node.get("original_file_path", ""))
    )


def guarded(target: str) -> bool:
    """Whether staging is incremental on this dbt target: not on Spark, where the base_
    models are tables rebuilt in full on every build (dbt_project.yml)."""
    return not target.startswith("spark")


def _upstream(manifest: Mapping, roots: list[str]) -> list[str]:
    """`roots` and every model and seed upstream of them."""
    nodes = manifest.get("nodes", {})
    seen, todo = set(), list(roots)
    while todo:
        uid = todo.pop()
        if uid in seen or uid not in nodes:
            continue
        seen.add(uid)
        todo += nodes[uid].get("depends_on", {}).get("nodes", [])
    return sorted(seen)


def _macros(manifest: Mapping, nodes: list[str]) -> list[str]:
    """The macros of this project that `nodes` call, directly or through other macros: those
    dbt lists (parse time, when is_incremental() is false), those named in the code (the
    incremental branch) and their adapter versions (`duckdb__<name>`, `default__<name>`)."""
    project = manifest.get("metadata", {}).get("project_name")
    macros, graph = manifest.get("macros", {}), manifest.get("nodes", {})
    own = {
        m["name"]: uid
        for uid, m in macros.items()
        if project is None or m.get("package_name") == project
    }
    todo = [m for uid in nodes for m in graph[uid].get("depends_on", {}).get("macros", [])]
    todo += [
        own[w] for uid in nodes for w in _WORD.findall(graph[uid].get("raw_code", "")) if w in own
    ]
    seen: set[str] = set()
    while todo:
        uid = todo.pop()
        if uid in seen or uid not in macros:
            continue
        seen.add(uid)
        macro = macros[uid]
        todo += macro.get("depends_on", {}).get("macros", [])
        todo += [own[w] for w in _WORD.findall(macro.get("macro_sql", "")) if w in own]
        todo += [u for name, u in own.items() if name.endswith(f"__{macro['name']}")]
    return sorted(uid for uid in seen if uid in own.values())


def _label(uid: str, node: Mapping) -> str:
    """How a summary names an input: `reference seed channel_map`, `model base_crm__orders`."""
    kind, name = node.get("resource_type", uid.split(".")[0]), node.get("name", uid)
    if kind == "seed":
        folder = Path(node.get("original_file_path", "")).parent.name
        folder = {"adapters": "adapter", "": ""}.get(folder, folder)
        return f"{folder} seed {name}".strip()
    return f"{kind} {name}"


def fingerprints(
    manifest: Mapping,
    project_vars: Mapping | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """{input label: hash} of everything the base_ staging models' rows depend on (the
    module's docstring), the same whichever target the manifest was parsed for.
    `project_vars` are dbt_project.yml's `vars` (unrendered), `environ` the environment dbt
    runs in."""
    roots = staging_models(manifest)
    if not roots:
        return {}
    environ = os.environ if environ is None else environ
    nodes, macros = manifest.get("nodes", {}), manifest.get("macros", {})
    found: dict[str, str] = {}
    code = []
    for uid in _upstream(manifest, roots):
        node = nodes[uid]
        config = node.get("config", {})
        found[_label(uid, node)] = _digest(
            [
                node.get("checksum"),
                sorted(node.get("depends_on", {}).get("nodes", [])),
                {key: config.get(key) for key in WRITE_CONFIG},
            ]
        )
        code.append(node.get("raw_code", ""))
    for uid in _macros(manifest, list(_upstream(manifest, roots))):
        found[f"macro {macros[uid]['name']}"] = _digest(macros[uid].get("macro_sql", ""))
        code.append(macros[uid].get("macro_sql", ""))
    text = "\n".join(code)
    for name in sorted(set(_VAR.findall(text))):
        found[f"var {name}"] = _digest((project_vars or {}).get(name))
    for name in sorted(set(_ENV_VAR.findall(text))):
        found[f"environment variable {name}"] = _digest(environ.get(name))
    return found


def changes(current: Mapping[str, str], recorded: Mapping[str, str] | None) -> list[str]:
    """What differs between the recorded fingerprints and the current ones, one phrase each
    (`reference seed channel_map changed`); empty when nothing does."""
    if recorded is None:
        return []
    said = []
    for label in sorted(set(current) | set(recorded)):
        if label not in recorded:
            said.append(f"{label} added")
        elif label not in current:
            said.append(f"{label} removed")
        elif current[label] != recorded[label]:
            said.append(f"{label} changed")
    # seeds first: the documented customisation, and what a user most likely changed
    return sorted(said, key=lambda s: (" seed " not in f" {s}", s))


def rebuild_reason(
    current: Mapping[str, str], recorded: Mapping[str, str] | None, asked: bool = False
) -> str | None:
    """One line for the run summary when the build must be a full refresh, else None."""
    if asked:
        return "--full-refresh asked for: every incremental model rebuilt in full"
    if recorded is None:
        return "no record yet of what staging was built with: staging built in full"
    said = changes(current, recorded)
    if not said:
        return None
    more = f" (and {len(said) - 1} more)" if len(said) > 1 else ""
    return f"{said[0]}{more}: staging rebuilt in full"


def project_vars(project_dir: Path) -> dict:
    """dbt_project.yml's `vars`, unrendered ({} when it cannot be read)."""
    import yaml

    try:
        project = yaml.safe_load((Path(project_dir) / "dbt_project.yml").read_text()) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return project.get("vars") or {}


def warehouse_identity(target: str, environ: Mapping[str, str] | None = None) -> str:
    """Which warehouse a record belongs to: the target and where its tables live (the same
    data folder may be built on DuckDB and on PostgreSQL)."""
    env = os.environ if environ is None else environ
    if target == "duckdb":
        path = env.get("CXW_DUCKDB_PATH", "data/warehouse.duckdb")
        return f"duckdb:{Path(path).resolve()}"
    if target == "postgres":
        return (
            f"postgres:{env.get('CXW_PG_HOST', '127.0.0.1')}:{env.get('CXW_PG_PORT', '5432')}"
            f"/{env.get('CXW_PG_DATABASE', 'cx_warehouse')}"
        )
    return target

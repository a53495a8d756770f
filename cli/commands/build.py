"""`cxw build`: dbt build on the working database of an engine.

Staging is guarded as in the main job (lib/staging_guard.py): on DuckDB and PostgreSQL the
project is parsed first, and when what the staged rows were judged with changed since the
last build that staged every base_ model (or there is no record), the build gets
`--full-refresh` and a `note:` line says why. The parsed manifest is handed to the build,
so the project is parsed once.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cli.progress import Progress
from lib.settings import PROJECT_DIR, Settings

FULL_REFRESH = ("--full-refresh", "-f")
# options of `dbt build` that change what the parsed project holds: `dbt parse` gets them too
PARSE_OPTIONS = ("--vars", "--target", "-t", "--profile", "--target-path")
_TRUE = ("1", "true", "t", "yes", "y", "on")


def cmd_build(args: argparse.Namespace, settings: Settings, say: Progress) -> int:
    from ingest.vendor_tables import (
        check_vendor_target,
        dbt_vars_selection,
        export_selection,
        source_selection,
    )
    from lib.errors import check_target

    selection = source_selection(settings.landing_dir)
    export_selection(selection)  # vendors: docs/sources.md
    dbt_args = [a for a in args.dbt_args if a != "--"]
    check_vendor_target(settings.target, {**selection, **dbt_vars_selection(dbt_args)})
    check_target(settings.target)
    build(settings, dbt_args)
    return 0


def build(settings: Settings, dbt_args: list[str], project_dir: Path = PROJECT_DIR) -> None:
    """`dbt build <dbt_args>` on `project_dir`, with the staging guard where staging is
    incremental; the guard's record is written when every base_ staging model was built."""
    from dbt.cli.main import dbtRunner

    from lib import staging_guard
    from lib.errors import UserError
    from publishing.state import guard_staging

    target = chosen_target(dbt_args, settings.target)
    paths = ["--project-dir", str(project_dir), "--profiles-dir", str(project_dir)]
    runner, guard = dbtRunner(), None
    if staging_guard.guarded(target):
        parsed = dbtRunner().invoke(["parse", "--quiet", *paths, *parse_options(dbt_args)])
        if not parsed.success:
            raise UserError(
                f"dbt could not parse the project for the {target} target: "
                f"{parsed.exception or 'the errors are listed above'}; fix it and run again"
            )
        asked = full_refresh_asked(dbt_args)
        manifest = parsed.result.writable_manifest().to_dict()
        guard = guard_staging(settings.publish_dir, manifest, target, project_dir, asked)
        if guard.reason and not asked:
            dbt_args = [*dbt_args, "--full-refresh"]
            print(f"note: {guard.reason}", flush=True)
        runner = dbtRunner(manifest=parsed.result)  # the same project, not parsed again
    result = runner.invoke(["build", *paths, *dbt_args])
    if guard is not None:  # every base_ model built: staged with these inputs
        guard.record(settings.publish_dir, built_models(result))
    if not result.success:
        raise UserError(
            f"dbt build failed on the {target} target: the failing models and tests "
            "are listed above; fix them (or the data) and run again"
        )


def chosen_target(dbt_args: list[str], default: str) -> str:
    """The dbt target the build runs on: a `--target` among the dbt arguments, else `default`
    (`cxw build --target`, DBT_TARGET)."""
    target = default
    for _option, value in _options(dbt_args, ("--target", "-t")):
        target = value or target
    return target


def parse_options(dbt_args: list[str]) -> list[str]:
    """The dbt arguments that `dbt parse` needs too (PARSE_OPTIONS, with their values)."""
    picked: list[str] = []
    for option, value in _options(dbt_args, PARSE_OPTIONS):
        picked += [option, value]
    return picked


def _options(dbt_args: list[str], names: tuple[str, ...]) -> list[tuple[str, str]]:
    """(option, value) of each of `names` among `dbt_args` (`--vars X` or `--vars=X`)."""
    found = []
    for i, arg in enumerate(dbt_args):
        option, equals, value = arg.partition("=")
        if option not in names:
            continue
        if equals:
            found.append((option, value))
        elif i + 1 < len(dbt_args):
            found.append((option, dbt_args[i + 1]))
    return found


def full_refresh_asked(dbt_args: list[str], environ: Mapping[str, str] | None = None) -> bool:
    """Whether the user asked dbt for a full refresh (`--full-refresh`, `-f`,
    DBT_FULL_REFRESH)."""
    env = os.environ if environ is None else environ
    return any(a in FULL_REFRESH for a in dbt_args) or (
        env.get("DBT_FULL_REFRESH", "").strip().lower() in _TRUE
    )


def built_models(result: Any) -> set[str]:
    """The names of the models a dbt build wrote (status success)."""
    return {
        r.node.unique_id.rsplit(".", 1)[-1]
        for r in getattr(result.result, "results", None) or []
        if str(getattr(r.node, "resource_type", "")) == "model" and str(r.status) == "success"
    }

"""`cxw build`: dbt build on the working database of an engine."""

from __future__ import annotations

import argparse

from cli.progress import Progress
from lib.settings import Settings


def cmd_build(args: argparse.Namespace, settings: Settings, say: Progress) -> int:
    from dbt.cli.main import dbtRunner

    from ingest.vendor_tables import (
        check_vendor_target,
        dbt_vars_selection,
        export_selection,
        source_selection,
    )
    from lib.errors import UserError, check_target
    from lib.settings import PROJECT_DIR

    selection = source_selection(settings.landing_dir)
    export_selection(selection)  # vendors: docs/sources.md
    dbt_args = [a for a in args.dbt_args if a != "--"]
    check_vendor_target(settings.target, {**selection, **dbt_vars_selection(dbt_args)})
    check_target(settings.target)
    result = dbtRunner().invoke(
        ["build", "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR), *dbt_args]
    )
    if not result.success:
        raise UserError(
            f"dbt build failed on the {settings.target} target: the failing models and tests "
            "are listed above; fix them (or the data) and run again"
        )
    return 0

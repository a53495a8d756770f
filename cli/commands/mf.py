"""`cxw mf`: MetricFlow on the published data."""

from __future__ import annotations

import argparse
import os

from cli.progress import Progress
from lib.settings import Settings


def cmd_mf(args: argparse.Namespace, settings: Settings, say: Progress) -> int:
    from cli.mf import exec_mf, parse_query, run_query
    from lib.dbt_manifest import ensure_manifest
    from lib.errors import UserError
    from lib.settings import PROJECT_DIR

    if not settings.serving_database.exists():
        raise UserError(f"no published data at {settings.serving_database}: run `cxw run` first")
    ensure_manifest(progress=say)  # mf reads target/semantic_manifest.json as it is
    mf_args = [a for a in args.mf_args if a != "--"]
    query = parse_query(mf_args)
    if query is not None:  # the common case, answered in this process (see cli/mf.py)
        return run_query(query, settings.serving_database)
    # mf reads the profile's default target: make it the read-only `serving` target
    os.environ["DBT_TARGET"] = "serving"
    os.chdir(PROJECT_DIR)
    exec_mf(mf_args)
    return 0  # not reached

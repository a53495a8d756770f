"""`cxw run`: the main job through Dagster (demo data, load, build, check, publish)."""

from __future__ import annotations

import argparse

from cli.commands.generate import demo_options
from cli.progress import Progress
from lib.settings import Settings


def cmd_run(args: argparse.Namespace, settings: Settings, say: Progress) -> int:
    from cli.run_job import run_main_job
    from ingest.preflight import preflight_cli
    from lib.errors import UserError

    if settings.target != "duckdb":
        raise UserError(
            f"the main job runs on the embedded DuckDB, not on DBT_TARGET={settings.target}: "
            f"unset DBT_TARGET, or load and build that engine with `cxw load --target "
            f"{settings.target}` and `cxw build --target {settings.target}` (see README, Engines)"
        )

    landing = args.landing.resolve() if args.landing else None
    if landing is not None:  # seconds, before Dagster starts
        preflight_cli(landing, args.delimiter, args.encoding, settings.delivery_mode)
    outcome = run_main_job(
        settings,
        landing=landing,
        demo=demo_options(args),
        progress=say,
        full_refresh=getattr(args, "full_refresh", False),
    )
    print(outcome.summary())
    return 0 if outcome.success else 1

"""`cxw load`: check and load a landing folder into the raw schemas of an engine."""

from __future__ import annotations

import argparse
import sys

from cli.progress import Progress
from lib.settings import Settings


def cmd_load(args: argparse.Namespace, settings: Settings, say: Progress) -> int:
    from ingest.preflight import preflight_cli
    from lib.errors import check_target

    landing = args.landing.resolve() if args.landing else settings.landing_dir
    database = args.database.resolve() if args.database else settings.database
    check_target(settings.target)  # the engine is reachable, before any file is read
    preflight_cli(landing, args.delimiter, args.encoding, settings.delivery_mode)
    from ingest.landing import load_landing_into  # pyarrow, duckdb: after the fast checks

    result = load_landing_into(
        settings.target,
        landing,
        database=database,
        mode=settings.delivery_mode,
        progress=say,
    )
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(f"loaded {landing} into {result.location} in {result.seconds:.1f}s")
    for f in result.files:
        note = " (unchanged)" if f.skipped else ""
        if f.merged:
            note = f" ({f.delivered:,} delivered rows merged by key)"
        extra = f"  extra columns kept: {', '.join(f.extra_columns)}" if f.extra_columns else ""
        print(f"  raw_{f.table.system}.{f.table.name:<20} {f.rows:>10,}{note}{extra}")
    for v in result.vendor_files:  # <landing>/<vendor>/, typed (docs/sources.md)
        print(f"  {v.qualified:<26} {v.rows:>10,} (vendor table)")
    return 0

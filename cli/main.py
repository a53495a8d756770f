"""`cxw`: the warehouse's command line.

    cxw run        the main job: (demo data,) load, build, check, publish, through Dagster
    cxw generate   write a demo landing folder in the raw contract's shape
    cxw load       check and load a landing folder into the raw schemas (--target duckdb|
                   postgres|spark)
    cxw build      dbt build (arguments after `--` go to dbt; --target as for load)
    cxw ui         the Dagster UI on 127.0.0.1
    cxw test       the whole test suite (through ./cxw, which also installs what tests need)

Every path has a default under ./data and an environment variable (see `cxw --help`).
The parser and help texts are in cli/parser.py; each subcommand is cli/commands/<command>.py.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys

from cli.commands import COMMANDS
from cli.parser import build_parser, parse_args
from cli.progress import Progress
from lib.settings import Settings

# Commands that write the working DuckDB database: they hold the data folder's run lock
# (lib/runlock.py) from before they touch anything until they end.
LOCKED_COMMANDS = ("run", "load", "build")


def _command(argv: list[str] | None) -> str:
    return " ".join(["cxw", *(sys.argv[1:] if argv is None else argv)])[:200]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(build_parser(), argv)
    settings = Settings.from_env()
    if getattr(args, "delta", False):
        settings = dataclasses.replace(settings, delivery_mode="delta")
    if getattr(args, "target", None):
        settings = dataclasses.replace(settings, target=args.target)
    settings.export()
    say = Progress(quiet=args.quiet)
    try:
        with contextlib.ExitStack() as stack:
            target = getattr(args, "target", None) or settings.target
            if args.command in LOCKED_COMMANDS and target == "duckdb":
                from lib.runlock import run_lock

                left = stack.enter_context(run_lock(settings.data_dir, command=_command(argv)))
                if left is not None:
                    say(f"took over the run lock of {left.describe()}, which ended without it")
            return COMMANDS[args.command](args, settings, say)
    except KeyboardInterrupt:
        print(
            "interrupted; the serving database and published reports are unchanged", file=sys.stderr
        )
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place that turns errors into a message
        from lib.errors import describe

        print(f"error: {describe(exc)}", file=sys.stderr)
        if os.environ.get("CXW_DEBUG"):
            raise
        return 2


if __name__ == "__main__":
    sys.exit(main())

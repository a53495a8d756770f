"""`cxw`: the warehouse's command line.

    cxw run        the main job: (demo data,) load, build, check, publish, through Dagster
    cxw generate   write a demo landing folder in the raw contract's shape
    cxw load       check and load a landing folder into the raw schemas (--target duckdb|
                   postgres|spark)
    cxw build      dbt build (arguments after `--` go to dbt; --target as for load)
    cxw ui         the Dagster UI on 127.0.0.1
    cxw test       the whole test suite (through ./cxw, which also installs what tests need)

Every path has a default under ./data and an environment variable (see `cxw --help`).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import sys
import time
from datetime import date
from pathlib import Path

from lib.settings import PROJECT_DIR, Settings

# Commands that write the working DuckDB database: they hold the data folder's run lock
# (lib/runlock.py) from before they touch anything until they end.
LOCKED_COMMANDS = ("run", "load", "build")

ENVIRONMENT_HELP = """\
environment variables (defaults in brackets):
  CXW_DATA_DIR       where demo data, databases and published output live [./data]
  CXW_LANDING_DIR    the landing folder to load [$CXW_DATA_DIR/landing]
  CXW_DUCKDB_PATH    the working DuckDB database dbt builds [$CXW_DATA_DIR/warehouse.duckdb]
  CXW_SERVING_PATH   the database BI tools read, replaced only after checks pass
                     [$CXW_DATA_DIR/serving.duckdb]
  CXW_PUBLISH_DIR    published releases: reports, headline snapshot [$CXW_DATA_DIR/published]
  CXW_QUALITY_DIR    check results and Great Expectations Data Docs [$CXW_DATA_DIR/quality]
  DAGSTER_HOME       the Dagster instance (run history for the UI) [$CXW_DATA_DIR/dagster]
  DBT_TARGET         dbt target: duckdb, postgres or spark; --target of `cxw load` and
                     `cxw build` overrides it [duckdb]
  CXW_DELIVERY_MODE  full: every landing file is a full export of its table (rows no longer
                     delivered leave); delta: files hold only new and changed rows, merged
                     by key [full]
  CXW_CSV_DELIMITER  field separator of the landing CSV files (--delimiter) [,]
  CXW_CSV_ENCODING   encoding of the landing CSV files (--encoding) [utf-8]
  CXW_PERSON_SALT    salt of the hashed person keys [a documented demo salt]
  CXW_DUCKDB_MEMORY_LIMIT  DuckDB's memory limit for loads and builds; beyond it DuckDB
                     spills to disk [3GB]
  CXW_THREADS        dbt threads [2]
  CXW_DEBUG          1: print full tracebacks (they always go to $CXW_DATA_DIR/logs/)
"""


class Progress:
    """Prints timestamped progress lines to stderr, so stdout stays for the summary."""

    def __init__(self, quiet: bool = False) -> None:
        self.started = time.perf_counter()
        self.quiet = quiet

    def __call__(self, message: str) -> None:
        if not self.quiet:
            elapsed = time.perf_counter() - self.started
            print(f"[{elapsed:6.1f}s] {message}", file=sys.stderr, flush=True)


def _add_generate_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("demo data")
    g.add_argument(
        "--accounts",
        type=int,
        default=20_000,
        help="number of CRM accounts to generate; the scale of the demo [20000]",
    )
    g.add_argument(
        "--seed",
        type=int,
        default=42,
        help="random seed; the same seed gives byte-identical files [42]",
    )
    g.add_argument(
        "--format",
        dest="file_format",
        choices=["csv", "parquet"],
        default="csv",
        help="file format of the landing files [csv]",
    )
    g.add_argument(
        "--bad-row-share",
        type=float,
        default=0.002,
        help="share of rows per table that break the contract, for the quarantine "
        "to catch; 0 disables [0.002]",
    )
    g.add_argument(
        "--end-date",
        type=date.fromisoformat,
        default=date(2026, 10, 31),
        help="date of the latest generated event (YYYY-MM-DD) [2026-10-31]",
    )
    g.add_argument("--months", type=int, default=24, help="months of history [24]")
    g.add_argument(
        "--no-support-operations",
        dest="support_operations",
        action="store_false",
        help="leave out the optional support-operations tables and columns (schedules, "
        "holidays, SLA policies; assignees, groups, event authors; docs/demo_data.md)",
    )
    g.add_argument(
        "--vendors",
        default="",
        help="write these systems as Fivetran lands the vendor, e.g. `zendesk` (ticketing); "
        "the other systems stay in the raw contract's shape (see docs/sources.md) []",
    )


def _add_delivery_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--delta",
        action="store_true",
        help="the landing files hold only new and changed rows: merge them by key into the "
        "raw tables instead of replacing them [$CXW_DELIVERY_MODE]",
    )


ENGINES = ("duckdb", "postgres", "spark")


def _add_csv_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("CSV files that are not comma-separated UTF-8")
    g.add_argument(
        "--delimiter",
        help="the landing CSV files' field separator, e.g. ';' or tab [$CXW_CSV_DELIMITER, ',']",
    )
    g.add_argument(
        "--encoding",
        help="the landing CSV files' encoding, e.g. cp1252 or latin-1 [$CXW_CSV_ENCODING, utf-8]",
    )


def _add_target_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--target",
        choices=ENGINES,
        help="the engine: the embedded DuckDB, PostgreSQL or Spark (see README, Engines) "
        "[$DBT_TARGET, else duckdb]",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cxw",
        description="Customer-experience analytics warehouse: load raw CRM, ticketing and "
        "survey exports, build the dbt marts and metrics, check them with Great "
        "Expectations and publish reports only when the checks pass.",
        epilog=ENVIRONMENT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser(
        "run",
        help="the main job: demo data (unless --landing), load, build, check, publish",
        description="Run the whole asset graph through Dagster: load the landing folder, dbt "
        "build, Great Expectations checks, publish. Without --landing, demo data is "
        "generated first (once per set of demo options).",
        epilog=ENVIRONMENT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument(
        "--landing", type=Path, help="load this landing folder instead of generating demo data"
    )
    _add_delivery_option(run)
    _add_csv_options(run)
    _add_generate_options(run)

    gen = sub.add_parser(
        "generate",
        help="write a demo landing folder",
        description="Write a deterministic demo landing folder in the raw "
        "contract's shape (see docs/demo_data.md).",
    )
    gen.add_argument("--landing", type=Path, help="folder to write [$CXW_LANDING_DIR]")
    _add_generate_options(gen)

    load = sub.add_parser(
        "load",
        help="check and load a landing folder into the raw schemas",
        description="Check every file of a landing folder against the raw "
        "contract, then load all of them into the raw schemas of the target engine, all or "
        "nothing.",
    )
    load.add_argument("--landing", type=Path, help="folder to load [$CXW_LANDING_DIR]")
    _add_target_option(load)
    load.add_argument(
        "--database", type=Path, help="DuckDB file (duckdb target) [$CXW_DUCKDB_PATH]"
    )
    _add_delivery_option(load)
    _add_csv_options(load)

    build = sub.add_parser(
        "build",
        help="dbt build on the working database",
        description="Run `dbt build` with the project's profile; arguments "
        "after `--` go to dbt, e.g. `cxw build --target postgres -- -s marts`.",
    )
    _add_target_option(build)
    build.add_argument("dbt_args", nargs=argparse.REMAINDER, help="arguments for dbt")

    mf = sub.add_parser(
        "mf",
        help="MetricFlow on the published data, e.g. `cxw mf query --metrics nps "
        "--group-by metric_time__month`",
        description="Run MetricFlow's `mf` against the serving database (the last published "
        "data), after making sure the dbt manifest is current. Arguments go to `mf`.",
    )
    mf.add_argument("mf_args", nargs=argparse.REMAINDER, help="arguments for mf")

    ui = sub.add_parser(
        "ui",
        help="open the Dagster UI (asset graph, checks, runs)",
        description="Start `dagster dev` on 127.0.0.1.",
    )
    ui.add_argument("--port", type=int, default=3000, help="port [3000]")

    test = sub.add_parser(
        "test",
        help="the whole test suite: lint, dbt parse, pytest (`./cxw test -k landing`)",
        description="Run the whole test suite through ./cxw (which also installs the system "
        "packages some tests need): lint, dbt parse, pytest. Arguments go to pytest.",
    )
    test.add_argument("pytest_args", nargs=argparse.REMAINDER, help="arguments for pytest")
    parser.subcommands = sub.choices  # for parse_args: a wrong option gets its command's usage
    return parser


def parse_args(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """Parse, with a wrong option reported by its subcommand (usage of `cxw run`, not `cxw`)."""
    args, extras = parser.parse_known_args(argv)
    if extras and getattr(args, "command", None) == "test":
        args.pytest_args = [*extras, *args.pytest_args]  # `cxw test -k landing`: for pytest
    elif extras:
        command = getattr(parser, "subcommands", {}).get(getattr(args, "command", None))
        (command or parser).error(f"unrecognized arguments: {' '.join(extras)}")
    return args


def _demo_options(args: argparse.Namespace) -> dict:
    return {
        "accounts": args.accounts,
        "seed": args.seed,
        "file_format": args.file_format,
        "bad_row_share": args.bad_row_share,
        "end_date": args.end_date,
        "months": args.months,
        "support_operations": args.support_operations,
    } | ({"vendors": args.vendors} if args.vendors else {})


def cmd_generate(args: argparse.Namespace, settings: Settings, say: Progress) -> int:
    from demo_data.generator import generate

    landing = args.landing.resolve() if args.landing else settings.landing_dir
    say(f"generating demo data for {args.accounts:,} accounts into {landing}")
    options = _demo_options(args)
    if options.get("vendors"):
        from demo_data.vendors import generate_vendor_demo, parse_vendors

        vendors = parse_vendors(options.pop("vendors"))
        result = generate_vendor_demo(landing, vendors, progress=say, **options)
        from demo_data.vendors import SYSTEM_OF

        print(f"wrote {', '.join(vendors)} in Fivetran's shape to {landing}")
        for vendor in vendors:
            for path in sorted((landing / vendor).iterdir()):
                with path.open("rb") as f:
                    lines = sum(1 for _ in f) - 1 if path.suffix == ".csv" else None
                counted = f"{lines:>10,}" if lines is not None else ""
                print(f"  {vendor}.{path.stem:<22} {counted}")
        fed = {SYSTEM_OF[v] for v in vendors}
        rows = {
            k: v for k, v in getattr(result, "rows", result).items() if k.split(".")[0] not in fed
        }
        print("and in the raw contract's shape:")
        for name, n in rows.items():
            print(f"  {name:<26} {n:>10,}")
        return 0
    else:
        result = generate(landing, progress=say, **options)
    rows = getattr(result, "rows", result)
    total = sum(rows.values())
    print(f"wrote {total:,} rows to {landing}")
    for name, n in rows.items():
        print(f"  {name:<26} {n:>10,}")
    return 0


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


def cmd_build(args: argparse.Namespace, settings: Settings, say: Progress) -> int:
    from dbt.cli.main import dbtRunner

    from lib.errors import UserError, check_target
    from lib.settings import PROJECT_DIR

    check_target(settings.target)
    from ingest.vendor_tables import export_selection, source_selection

    export_selection(source_selection(settings.landing_dir))  # vendors: docs/sources.md
    dbt_args = [a for a in args.dbt_args if a != "--"]
    result = dbtRunner().invoke(
        ["build", "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR), *dbt_args]
    )
    if not result.success:
        raise UserError(
            f"dbt build failed on the {settings.target} target: the failing models and tests "
            "are listed above; fix them (or the data) and run again"
        )
    return 0


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
    outcome = run_main_job(settings, landing=landing, demo=_demo_options(args), progress=say)
    print(outcome.summary())
    return 0 if outcome.success else 1


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


def cmd_test(args: argparse.Namespace, settings: Settings, say: Progress) -> int:
    script = PROJECT_DIR / "scripts" / "test.sh"
    pytest_args = [a for a in args.pytest_args if a != "--"]
    os.chdir(PROJECT_DIR)
    os.execvp("bash", ["bash", str(script), *pytest_args])
    return 0  # not reached


def cmd_ui(args: argparse.Namespace, settings: Settings, say: Progress) -> int:
    from lib.dagster_home import ensure_dagster_home
    from lib.errors import check_port_free
    from orchestration.project import ensure_manifest

    check_port_free(args.port)
    ensure_dagster_home(settings.dagster_home)
    ensure_manifest(progress=say)
    print(f"Dagster UI: http://127.0.0.1:{args.port} (Ctrl-C stops it)")
    dagster = Path(sys.executable).with_name("dagster")
    os.chdir(PROJECT_DIR)
    os.execv(
        str(dagster),
        [
            str(dagster),
            "dev",
            "-h",
            "127.0.0.1",
            "-p",
            str(args.port),
            "-m",
            "orchestration.definitions",
        ],
    )
    return 0  # not reached


COMMANDS = {
    "run": cmd_run,
    "generate": cmd_generate,
    "load": cmd_load,
    "build": cmd_build,
    "mf": cmd_mf,
    "ui": cmd_ui,
    "test": cmd_test,
}


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

"""The `cxw` argument parser: the subcommands, their options and help texts."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

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
        "--chunk-accounts",
        type=int,
        default=None,
        help="draw and write the accounts this many at a time: memory follows the chunk, not "
        "the data set; up to this many accounts are one chunk [50000]",
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
    run.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every incremental model (staging, the large facts) in full; the run "
        "does so by itself when a seed, a base_ staging model or a macro they call changed",
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

"""`cxw mf`: MetricFlow on the published data (the serving database, read-only).

`cxw mf query ...`, the common case, runs in this process: MetricFlow's query engine over the
semantic manifest dbt wrote (`target/semantic_manifest.json`) and a read-only DuckDB connection
to the serving database. MetricFlow's own `mf` command gets there through dbt: it imports dbt
and runs `dbt debug` (a connection test and a validation of the whole project) before every
query, which costs seconds for a query of a fraction of a second. The answer is the same
engine's, printed the same way (`MetricFlowDataTable.text_format`, or `--csv`).

Any other command or option (`list`, `validate-configs`, `tutorial`, `--display-plans`,
`--help` ...) is handed to MetricFlow's `mf` unchanged.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

from lib.dbt_manifest import SEMANTIC_MANIFEST_PATH

# The serving database is attached under this catalog name unless the semantic manifest names
# another: relations were compiled for the working database (`"warehouse"."metrics"...`).
DEFAULT_CATALOG = "warehouse"


_VALUE_OPTIONS = {
    "--metrics": "metrics",
    "--group-by": "group_by",
    "--where": "where",  # may repeat
    "--order": "order",
    "--limit": "limit",
    "--start-time": "start_time",
    "--end-time": "end_time",
    "--saved-query": "saved_query",
    "--csv": "csv",
    "--decimals": "decimals",
}
_FLAGS = {"--explain": "explain", "--quiet": "quiet"}


def parse_query(mf_args: list[str]) -> argparse.Namespace | None:
    """The options of a `mf query` this process can answer (same names and meaning as mf's),
    else None: another command, an option it does not know, or a value mf would reject (then
    `mf` itself says what is wrong). A value may start with `-` (`--order -nps`), as in mf."""
    if not mf_args or mf_args[0] != "query":
        return None
    values: dict = {"where": []}
    tokens = list(mf_args[1:])
    while tokens:
        token = tokens.pop(0)
        name, eq, value = token.partition("=")
        if name in _FLAGS and not eq:
            values[_FLAGS[name]] = True
        elif name in _VALUE_OPTIONS:
            if not eq:
                if not tokens:
                    return None
                value = tokens.pop(0)
            key = _VALUE_OPTIONS[name]
            if key == "where":
                values["where"].append(value)
            else:
                values[key] = value
        else:
            return None
    args = argparse.Namespace(
        metrics=values.get("metrics", ""),
        group_by=values.get("group_by", ""),
        where=values["where"],
        order=values.get("order", ""),
        limit=None,
        start_time=values.get("start_time"),
        end_time=values.get("end_time"),
        saved_query=values.get("saved_query"),
        csv=Path(values["csv"]) if values.get("csv") else None,
        decimals=None,
        explain=values.get("explain", False),
        quiet=values.get("quiet", False),
    )
    for key in ("limit", "decimals"):
        if key in values:
            if not values[key].isdigit():
                return None
            setattr(args, key, int(values[key]))
    return args


def _names(text: str) -> list[str] | None:
    """mf's comma-separated lists: `nps,csat` -> ['nps', 'csat']; empty -> None."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    return names or None


def _catalog(manifest_text: str) -> str:
    manifest = json.loads(manifest_text)
    for model in manifest.get("semantic_models", []):
        database = (model.get("node_relation") or {}).get("database")
        if database:
            return database
    return DEFAULT_CATALOG


class DuckDBServingClient:
    """MetricFlow's SqlClient protocol over a read-only DuckDB connection to the serving
    database (no dbt adapter)."""

    def __init__(self, serving: Path, catalog: str) -> None:
        import duckdb
        from metricflow.protocols.sql_client import SqlEngine
        from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer

        self.con = duckdb.connect(":memory:")
        self.con.execute("set TimeZone = 'UTC'")
        escaped = str(serving).replace("'", "''")
        self.con.execute(f"attach '{escaped}' as \"{catalog}\" (read_only)")
        self.con.execute(f'use "{catalog}"')
        self._engine = SqlEngine.DUCKDB
        self._renderer = DuckDbSqlPlanRenderer()

    @property
    def sql_engine_type(self):
        return self._engine

    @property
    def sql_plan_renderer(self):
        return self._renderer

    def query(self, stmt: str, sql_bind_parameter_set=None):
        from metricflow.data_table.mf_table import MetricFlowDataTable

        cursor = self.con.execute(stmt)
        columns = [d[0] for d in cursor.description]
        return MetricFlowDataTable.create_from_rows(column_names=columns, rows=cursor.fetchall())

    def execute(self, stmt: str, sql_bind_parameter_set=None) -> None:
        self.con.execute(stmt)

    def dry_run(self, stmt: str, sql_bind_parameter_set=None) -> None:
        self.con.execute(f"explain {stmt}")

    def close(self) -> None:
        self.con.close()

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"


def run_query(
    args: argparse.Namespace, serving: Path, manifest_path: Path | None = None, out=None
) -> int:
    """Answer one `mf query` in this process; prints like `mf query` does."""
    out = out or sys.stdout
    started = time.perf_counter()
    from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
    from metricflow_semantics.model.dbt_manifest_parser import (
        parse_manifest_from_dbt_generated_manifest,
    )
    from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

    text = (manifest_path or SEMANTIC_MANIFEST_PATH).read_text()
    manifest = parse_manifest_from_dbt_generated_manifest(manifest_json_string=text)
    client = DuckDBServingClient(serving, _catalog(text))
    try:
        engine = MetricFlowEngine(
            semantic_manifest_lookup=SemanticManifestLookup(manifest), sql_client=client
        )
        start_time = end_time = None
        if args.start_time or args.end_time:
            from dateutil.parser import parse as parse_time

            start_time = parse_time(args.start_time) if args.start_time else None
            end_time = parse_time(args.end_time) if args.end_time else None
        request = MetricFlowQueryRequest.create(
            saved_query_name=args.saved_query,
            metric_names=_names(args.metrics),
            group_by_names=_names(args.group_by),
            limit=args.limit,
            time_constraint_start=start_time,
            time_constraint_end=end_time,
            where_constraints=args.where or None,
            order_by_names=_names(args.order),
        )
        if args.explain:
            explained = engine.explain(mf_request=request)
            print(explained.sql_statement.without_descriptions.sql, file=out)
            return 0
        table = engine.query(mf_request=request).result_df
    finally:
        client.close()
    if not args.quiet:
        seconds = time.perf_counter() - started
        print(f"query completed after {seconds:.2f} seconds", file=sys.stderr)
    if table is None or table.row_count == 0:
        if not args.quiet:
            print("Query returned an empty result set", file=out)
    elif args.csv is not None:
        with open(args.csv, "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(table.column_names)
            writer.writerows(table.rows)
        if not args.quiet:
            print(f"Wrote query output to {args.csv}", file=out)
    else:
        print(table.text_format(args.decimals), file=out)
    return 0


def exec_mf(mf_args: list[str]) -> None:
    """Hand the command to MetricFlow's own `mf` (replaces this process)."""
    mf = Path(sys.executable).with_name("mf")
    os.execv(str(mf), [str(mf), *(mf_args or ["--help"])])

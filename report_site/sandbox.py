"""The SQL sandbox the pages' queries run in: an in-memory DuckDB like Evidence's browser one.

Sources (`reports/sources/<source>/<table>.sql`) run against the serving database, the way
`npm run sources` would, and each result becomes the table `<source>.<table>` of an in-memory
DuckDB; the serving database is then detached, so page SQL sees nothing else. What Evidence's
DuckDB-WASM lacks is switched off: no extension installing or autoloading, no file or network
access, and the JSON and ICU (time-zone) functions this DuckDB build links statically are
shadowed by macros that fail with a clear message (plus a lint for the JSON operators and
time-zone types no macro can shadow). Wall-clock functions fail too: reports use the as-of
date, never the time of rendering.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import yaml

from alerting.evaluate import ALERT_COLUMNS
from quality.tables import CHECK_RESULT_COLUMNS, EXPECTATION_RESULT_COLUMNS
from report_site.errors import ReportError
from report_site.pages import Page, Query

log = logging.getLogger(__name__)

# Tables the publish step or the renderer provides to the pages (not dbt models). When the
# serving database has no such relation, the renderer creates it empty, so pages can say
# "nothing reported". `check_results`: one row per Great Expectations expectation of the run;
# `run_checks`: one row per check of the run (each dbt data test, each expectation suite),
# what the page header counts; `report_run`: the date of the run and the freshness limit.
PROVIDED_TABLES: dict[str, dict[str, str]] = {
    "check_results": {
        column: EXPECTATION_RESULT_COLUMNS[column]
        for column in (
            "suite",
            "relation",
            "expectation",
            "column_name",
            "severity",
            "success",
            "unexpected_count",
            "sample",
        )
    },
    "run_checks": {
        column: CHECK_RESULT_COLUMNS[column]
        for column in ("asset", "check_name", "check_source", "severity", "passed")
    },
    "report_run": {"report_date": "date", "stale_after_days": "integer"},
    # written by publishing (metrics.alerts); empty for a serving database without it
    "alerts": {column: kind for column, (kind, _) in ALERT_COLUMNS.items()},
}

# Functions Evidence's DuckDB-WASM only has after downloading an extension (json, icu), which
# this Python DuckDB links statically. Shadowed in the page sandbox by failing macros.
JSON_FUNCTIONS = (
    "array_to_json", "from_json", "from_json_strict", "json", "json_array", "json_array_length",
    "json_contains", "json_deserialize_sql", "json_exists", "json_extract", "json_extract_path",
    "json_extract_path_text", "json_extract_string", "json_group_array", "json_group_object",
    "json_group_structure", "json_keys", "json_merge_patch", "json_object", "json_pretty",
    "json_quote", "json_serialize_plan", "json_serialize_sql", "json_structure",
    "json_transform", "json_transform_strict", "json_type", "json_valid", "json_value",
    "row_to_json", "to_json",
)  # fmt: skip
JSON_TABLE_FUNCTIONS = ("json_each", "json_tree", "json_execute_serialized_sql")
ICU_FUNCTIONS = (
    "timezone", "timezone_hour", "timezone_minute", "current_localtime",
    "current_localtimestamp", "icu_sort_key", "make_timestamptz",
)  # fmt: skip
ICU_TABLE_FUNCTIONS = ("pg_timezone_names", "icu_calendar_names")
WALL_CLOCK_FUNCTIONS = (
    "now", "get_current_timestamp", "transaction_timestamp", "current_date", "today",
    "get_current_time", "current_time",
)  # fmt: skip
# What no macro can shadow: the JSON operators and type, time-zone-aware types.
_NON_PORTABLE_SQL = (
    (re.compile(r"->>"), "the ->> operator needs the json extension"),
    (re.compile(r"(::\s*json\b|\bas\s+json\b)", re.I), "the JSON type needs the json extension"),
    (
        re.compile(r"\btimestamptz\b|\bwith\s+time\s+zone\b", re.I),
        "time-zone-aware timestamps need the icu extension; marts hold UTC timestamps",
    ),
    (re.compile(r";\s*$"), "remove the trailing semicolon (Evidence nests queries)"),
)
_FORBIDDEN_RESULT_TYPES = ("TIMESTAMP WITH TIME ZONE", "JSON", "TIME WITH TIME ZONE")
_QUERY_REF = re.compile(r"\$\{\s*([A-Za-z_]\w*)\s*\}")


@dataclass
class QueryResult:
    name: str
    columns: list[str]
    types: list[str]
    rows: list[tuple]

    def __len__(self) -> int:
        return len(self.rows)

    def index(self, column: str) -> int:
        try:
            return self.columns.index(column)
        except ValueError:
            raise KeyError(column) from None

    def is_numeric(self, column: str) -> bool:
        t = self.types[self.index(column)].upper()
        return t.startswith(("DECIMAL", "DOUBLE", "FLOAT", "REAL")) or t in _INT_TYPES


_INT_TYPES = {
    "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
    "UBIGINT", "UHUGEINT",
}  # fmt: skip


@dataclass(frozen=True)
class Source:
    """One Evidence source: `sources/<name>/connection.yaml` and one .sql file per table."""

    name: str
    tables: dict[str, str]  # table -> source query


def load_sources(sources_dir: Path) -> list[Source]:
    sources = []
    for connection in sorted(sources_dir.glob("*/connection.yaml")):
        config = yaml.safe_load(connection.read_text()) or {}
        if config.get("type") != "duckdb":
            raise ReportError(f"{connection}: only DuckDB sources can be rendered without Evidence")
        folder = connection.parent
        tables = {
            p.stem: p.read_text(encoding="utf-8").strip() for p in sorted(folder.glob("*.sql"))
        }
        sources.append(Source(folder.name, tables))
    return sources


def open_sandbox(
    database: Path,
    sources: Sequence[Source],
    provided: dict[str, list[dict[str, Any]]] | None = None,
) -> tuple[duckdb.DuckDBPyConnection, list[str]]:
    """An in-memory DuckDB holding `<source>.<table>` for every source query, and nothing else.

    Returns the connection and the source tables that could not be exported because their
    relation does not exist in ``database`` (like Evidence, a missing table is reported, and
    only the pages that read it fail). ``provided`` replaces a source table by rows (for
    tables the publish step provides, such as ``check_results``)."""
    provided = provided or {}
    if not Path(database).exists():
        raise ReportError(f"serving database {database} does not exist")
    con = duckdb.connect(
        ":memory:",
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False},
    )
    missing: list[str] = []
    try:
        con.execute("set autoinstall_known_extensions = false")
        con.execute("set autoload_known_extensions = false")
        con.execute("set disable_timestamptz_casts = true")
        quoted = str(database).replace("'", "''")
        con.execute(f"attach '{quoted}' as serving (read_only)")
        con.execute("use serving")
        for source in sources:
            con.execute(f'create schema memory."{source.name}"')
            for table, sql in source.tables.items():
                target = f'memory."{source.name}"."{table}"'
                if table in provided:
                    _create_from_rows(con, target, table, provided[table])
                    continue
                try:
                    con.execute(f"create table {target} as {sql}")
                except (duckdb.CatalogException, duckdb.BinderException) as exc:
                    if table in PROVIDED_TABLES:
                        log.warning(
                            "source %s.%s: %s; using an empty table",
                            source.name, table, str(exc).splitlines()[0],
                        )  # fmt: skip
                        _create_from_rows(con, target, table, [])
                    elif isinstance(exc, duckdb.CatalogException):
                        log.warning(
                            "source %s.%s not exported: %s",
                            source.name, table, str(exc).splitlines()[0],
                        )  # fmt: skip
                        missing.append(f"{source.name}.{table}")
                    else:
                        raise ReportError(
                            f"source {source.name}/{table}.sql failed: {exc}"
                        ) from exc
                except duckdb.Error as exc:
                    raise ReportError(f"source {source.name}/{table}.sql failed: {exc}") from exc
        con.execute("use memory")
        con.execute("detach serving")
        _shadow_extension_functions(con)
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con, missing


def _create_from_rows(
    con: duckdb.DuckDBPyConnection, target: str, table: str, rows: list[dict[str, Any]]
) -> None:
    columns = PROVIDED_TABLES.get(table)
    if columns is None:
        if not rows:
            raise ReportError(f"no rows and no known columns for provided table {table}")
        columns = {c: "varchar" for c in rows[0]}
    con.execute(
        f"create table {target} (" + ", ".join(f'"{c}" {t}' for c, t in columns.items()) + ")"
    )
    if rows:
        placeholders = ", ".join("?" for _ in columns)
        con.executemany(
            f"insert into {target} values ({placeholders})",
            [[_plain(row.get(c)) for c in columns] for row in rows],
        )


def _plain(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, default=str)
    return value


def _shadow_extension_functions(con: duckdb.DuckDBPyConnection) -> None:
    existing = {
        r[0]
        for r in con.execute("select distinct function_name from duckdb_functions()").fetchall()
    }
    groups = (
        (JSON_FUNCTIONS, JSON_TABLE_FUNCTIONS, "the json extension"),
        (ICU_FUNCTIONS, ICU_TABLE_FUNCTIONS, "the icu (time zone) extension"),
        (WALL_CLOCK_FUNCTIONS, (), "the wall clock; use the as-of date (warehouse_as_of)"),
    )
    for scalars, tables, why in groups:
        for name in scalars:
            if name not in existing:
                continue
            message = (
                f"{name}() is not available to report pages: it needs {why}, which Evidence's "
                "browser DuckDB does not have. Compute it in a mart."
            ).replace("'", "''")
            overloads = ", ".join(
                f"({', '.join(f'a{i}' for i in range(arity))}) as error('{message}')"
                for arity in range(5)
            )
            con.execute(f'create macro main."{name}"{overloads}')
        for name in tables:
            if name not in existing:
                continue
            message = f"{name}() is not available to report pages: it needs {why}."
            con.execute(
                f'create macro main."{name}"(a0 := null, a1 := null, a2 := null) as table '
                f"select error('{message}') as blocked"
            )


def check_portable(sql: str) -> None:
    """Raise ValueError when page SQL uses what Evidence's browser DuckDB cannot run."""
    bare = re.sub(r"'(?:[^']|'')*'", "''", sql)  # string literals may say anything
    bare = re.sub(r"--[^\n]*", "", bare)
    bare = re.sub(r"/\*.*?\*/", "", bare, flags=re.S)
    for pattern, why in _NON_PORTABLE_SQL:
        if pattern.search(bare):
            raise ValueError(why)


def run_page_queries(con: duckdb.DuckDBPyConnection, page: Page) -> dict[str, QueryResult]:
    """Run every query of ``page`` in order; a failure names the page and the query."""
    by_name = {q.name: q for q in page.queries}
    results: dict[str, QueryResult] = {}

    def expand(query: Query, seen: tuple[str, ...]) -> str:
        def substitute(m: re.Match) -> str:
            ref = m.group(1)
            if ref in seen:
                raise ReportError(f"page {page.path.name}: query '{query.name}' refers to itself")
            if ref not in by_name:
                raise ReportError(
                    f"page {page.path.name}: query '{query.name}' refers to unknown query '{ref}'"
                )
            return "(\n" + expand(by_name[ref], (*seen, ref)) + "\n)"

        return _QUERY_REF.sub(substitute, query.sql)

    for query in page.queries:
        where = f"page {page.path.name}, query '{query.name}' (line {query.line})"
        try:
            check_portable(query.sql)
        except ValueError as exc:
            raise ReportError(f"{where}: not Evidence-compatible: {exc}") from exc
        sql = expand(query, (query.name,))
        try:
            cursor = con.execute(sql)
            columns = [d[0] for d in cursor.description]
            types = [str(d[1]) for d in cursor.description]
            rows = cursor.fetchall()
        except duckdb.Error as exc:
            raise ReportError(f"{where} failed: {exc}") from exc
        bad = [
            f"{c} ({t})"
            for c, t in zip(columns, types, strict=True)
            if t in _FORBIDDEN_RESULT_TYPES
        ]
        if bad:
            raise ReportError(f"{where}: not Evidence-compatible column types: {', '.join(bad)}")
        results[query.name] = QueryResult(query.name, columns, types, rows)
    return results

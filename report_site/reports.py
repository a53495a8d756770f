"""Report pages: the Evidence pages in `reports/`, rendered to a static site without Node.

The pages (`reports/pages/*.md`) are real Evidence pages: an Evidence user drops `reports/` into
an Evidence build and gets the same reports. Evidence's own build cannot run here (its
DuckDB-WASM downloads extensions at run time), so publishing renders the pages itself:

1. **Sources** (`reports/sources/<source>/<table>.sql`) run against the serving database, the
   way `npm run sources` would, and each result becomes the table `<source>.<table>` of an
   in-memory DuckDB. The serving database is then detached: page SQL sees nothing else.
2. **Page SQL** (```sql name blocks, `${other_query}` references) runs in that sandbox with
   what Evidence's browser DuckDB lacks switched off: no extension installing or autoloading,
   no file or network access, and the JSON and ICU (time-zone) functions that this DuckDB
   build links statically are shadowed by macros that fail with a clear message (plus a
   lint for the JSON operators and time-zone types no macro can shadow). Wall-clock
   functions fail too: reports use the as-of date, never the time of rendering.
3. **Components** (`<BigValue>`, `<LineChart>`, `<DataTable>` ...) are rendered with Jinja
   templates (autoescaped) and Plotly figures; the Markdown between them with markdown-it-py
   (raw HTML off). Plotly's JavaScript is inlined once per page, so pages open from
   `file://` with no network.

Any failure (SQL error, unknown column, empty data where the page did not allow it) raises
`ReportError` naming the page and the query or component, so that publishing stops and the
last good release stays in place.
"""

from __future__ import annotations

import ast
import html
import json
import logging
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import plotly.graph_objects as go
import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markdown_it import MarkdownIt
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from lib.settings import PROJECT_DIR
from quality.tables import EXPECTATION_RESULT_COLUMNS

log = logging.getLogger(__name__)

REPORTS_DIR = PROJECT_DIR / "reports"
PAGES_DIR = REPORTS_DIR / "pages"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
MAX_TABLE_ROWS = 1000
MAX_LABEL = 40  # characters of a category label on a chart axis

# Tables the publish step provides to the pages (not dbt models). When the serving database
# has no such relation, the renderer creates it empty, so pages can say "nothing reported".
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

# Evidence's default palette (evidence.config.yaml), so both renderings look alike.
PALETTE = (
    "#236aa4", "#45a1bf", "#a5cdee", "#8dacbf", "#85c7c6",
    "#d2c6ac", "#f4b548", "#8f3d56", "#71b9f4", "#46a485",
)  # fmt: skip
SEMANTIC_COLORS = {
    "positive": "#16a34a",
    "negative": "#dc2626",
    "warning": "#d97706",
    "info": "#0284c7",
    "base-content-muted": "#6b7280",
}


class ReportError(Exception):
    """A page, source or component could not be rendered; the message says which."""


# --------------------------------------------------------------------------------------------
# Parsing Evidence pages
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A `{name}` expression in a component prop: a reference to a query of the page."""

    name: str


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    line: int


@dataclass
class Component:
    name: str
    props: dict[str, Any]
    children: list[Node]
    line: int
    alternate: list[Node] = field(default_factory=list)  # the {:else} branch of an {#if}

    def prop(self, name: str, default: Any = None) -> Any:
        return self.props.get(name, default)


Node = str | Component


@dataclass
class Page:
    path: Path
    slug: str
    title: str
    position: float
    frontmatter: dict[str, Any]
    queries: list[Query]
    body: list[Node]

    @property
    def file_name(self) -> str:
        return f"{self.slug}.html"


BLOCK_COMPONENTS = {
    "BigValue", "LineChart", "BarChart", "AreaChart", "ScatterPlot", "Chart", "DataTable",
    "Alert", "Details", "Grid",
}  # fmt: skip
INLINE_COMPONENTS = {"Value"}
CHILD_COMPONENTS = {"ReferenceLine", "ReferenceArea", "Column", "Line", "Bar", "Area", "Scatter"}
# BigValues on consecutive lines sit side by side, as in Evidence.
FLOW_COMPONENTS = {"BigValue", "Value"}

_FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})\s*([^`\n]*)$")
_QUERY_INFO = re.compile(r"^sql\s+([A-Za-z_][A-Za-z0-9_]*)\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")
_CLOSE_TAG = re.compile(r"</([A-Z][A-Za-z0-9]*)\s*>")
_ATTR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_SCAN = re.compile(r"<|\{#if\s|\{:else\}|\{/if\}")
_IF_OPEN = re.compile(r"\{#if\s+([^}]*)\}")
_INLINE_EXPR = re.compile(r"\{\s*([A-Za-z_]\w*)\[(\d+)\]\.([A-Za-z_]\w*)\s*\}")
_HREF = re.compile(r'href="([^"]*)"')
_CONDITION = re.compile(
    r"(!)?\s*([A-Za-z_]\w*)(?:\.length|\[(\d+)\]\.([A-Za-z_]\w*))"
    r"(?:\s*(===|==|!==|!=|>=|<=|>|<)\s*(-?\d+(?:\.\d+)?|'[^']*'|\"[^\"]*\"|true|false))?"
)
_QUERY_REF = re.compile(r"\$\{\s*([A-Za-z_]\w*)\s*\}")


def parse_page(path: Path) -> Page:
    """Read an Evidence page: frontmatter, ```sql blocks and the component tree."""
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    frontmatter: dict[str, Any] = {}
    body_start = 0
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end < 0:
            raise ReportError(f"page {path.name}: frontmatter is not closed with ---")
        frontmatter = yaml.safe_load(text[4:end]) or {}
        body_start = text.index("\n", end + 1) + 1 if "\n" in text[end + 1 :] else len(text)
    offset_lines = text[:body_start].count("\n")
    # HTML comments are comments for Evidence too (a fence inside one is not a query).
    body = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text[body_start:])

    queries: list[Query] = []
    kept: list[str] = []
    protected: dict[str, str] = {}
    lines = body.split("\n")
    i = 0
    while i < len(lines):
        match = _FENCE_OPEN.match(lines[i])
        if not match:
            kept.append(lines[i])
            i += 1
            continue
        fence, info = match.group(2), match.group(3).strip()
        j = i + 1
        while j < len(lines) and not re.match(
            rf"^ {{0,3}}{fence[0]}{{{len(fence)},}}\s*$", lines[j]
        ):
            j += 1
        if j == len(lines):
            raise ReportError(
                f"page {path.name}: code fence at line {offset_lines + i + 1} is not closed"
            )
        query = _QUERY_INFO.match(info)
        if query:
            name = query.group(1)
            if any(q.name == name for q in queries):
                raise ReportError(f"page {path.name}: query '{name}' is defined twice")
            queries.append(Query(name, "\n".join(lines[i + 1 : j]).strip(), offset_lines + i + 1))
            kept.extend([""] * (j - i + 1))
        elif info.lower().startswith("sql"):
            raise ReportError(
                f"page {path.name}: the sql block at line {offset_lines + i + 1} has no name "
                "(write ```sql query_name)"
            )
        else:  # an ordinary code block: kept verbatim, not scanned for components
            token = f"zzcxwcode{len(protected)}zz"
            protected[token] = "\n".join(lines[i : j + 1])
            kept.append(token)
            kept.extend([""] * (j - i))
        i = j + 1

    nodes = _parse_components("\n".join(kept), path.name, offset_lines)
    nodes = _restore_code(nodes, protected)
    slug = path.stem
    title = str(frontmatter.get("title") or slug.replace("-", " ").capitalize())
    position = frontmatter.get("sidebar_position")
    position = float(position) if position is not None else (0.0 if slug == "index" else 1e6)
    return Page(path, slug, title, position, frontmatter, queries, nodes)


def _restore_code(nodes: list[Node], protected: dict[str, str]) -> list[Node]:
    if not protected:
        return nodes
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, str):
            for token, code in protected.items():
                node = node.replace(token, code)
            out.append(node)
        else:
            node.children = _restore_code(node.children, protected)
            node.alternate = _restore_code(node.alternate, protected)
            out.append(node)
    return out


def _parse_components(text: str, page: str, offset_lines: int) -> list[Node]:
    root: list[Node] = []
    stack: list[tuple[Component | None, list[Node]]] = [(None, root)]
    pos = 0
    buf: list[str] = []

    def line_at(i: int) -> int:
        return offset_lines + text.count("\n", 0, i) + 1

    while pos < len(text):
        found = _SCAN.search(text, pos)
        if not found:
            buf.append(text[pos:])
            break
        lt = found.start()
        buf.append(text[pos:lt])
        if text.startswith("{#if", lt):
            opened = _IF_OPEN.match(text, lt)
            if not opened:
                raise ReportError(f"page {page}: unclosed {{#if at line {line_at(lt)}")
            block = Component("#if", {"test": opened.group(1).strip()}, [], line_at(lt))
            stack[-1][1].append("".join(buf))
            buf = []
            stack[-1][1].append(block)
            stack.append((block, block.children))
            pos = opened.end()
            continue
        if text.startswith("{:else}", lt) or text.startswith("{/if}", lt):
            current = stack[-1][0]
            if current is None or current.name != "#if":
                raise ReportError(
                    f"page {page}: {found.group(0)} at line {line_at(lt)} outside {{#if}}"
                )
            stack[-1][1].append("".join(buf))
            buf = []
            stack.pop()
            if found.group(0) == "{:else}":
                stack.append((current, current.alternate))
            pos = found.end()
            continue
        close = _CLOSE_TAG.match(text, lt)
        name = _TAG_NAME.match(text, lt + 1)
        if close:
            current = stack[-1][0]
            if current is None or current.name != close.group(1):
                raise ReportError(
                    f"page {page}: </{close.group(1)}> at line {line_at(lt)} closes nothing open"
                )
            stack[-1][1].append("".join(buf))
            buf = []
            stack.pop()
            pos = close.end()
            continue
        if not name:
            buf.append("<")
            pos = lt + 1
            continue
        props, end, self_closing = _parse_props(text, name.end(), page, line_at(lt))
        component = Component(name.group(0), props, [], line_at(lt))
        stack[-1][1].append("".join(buf))
        buf = []
        stack[-1][1].append(component)
        if not self_closing:
            stack.append((component, component.children))
        pos = end
    stack[-1][1].append("".join(buf))
    if len(stack) > 1:
        open_component = stack[-1][0]
        assert open_component is not None
        what = "{#if}" if open_component.name == "#if" else f"<{open_component.name}>"
        raise ReportError(f"page {page}: {what} at line {open_component.line} is not closed")
    return _drop_empty(root)


def _drop_empty(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, str):
            if node:
                out.append(node)
        else:
            node.children = _drop_empty(node.children)
            node.alternate = _drop_empty(node.alternate)
            out.append(node)
    return out


def _parse_props(text: str, pos: int, page: str, line: int) -> tuple[dict[str, Any], int, bool]:
    props: dict[str, Any] = {}
    n = len(text)
    while True:
        while pos < n and text[pos].isspace():
            pos += 1
        if pos >= n:
            raise ReportError(f"page {page}: component at line {line} is not closed with > or />")
        if text.startswith("/>", pos):
            return props, pos + 2, True
        if text[pos] == ">":
            return props, pos + 1, False
        name = _ATTR_NAME.match(text, pos)
        if not name:
            raise ReportError(f"page {page}: cannot read the props of the component at line {line}")
        pos = name.end()
        if pos < n and text[pos] == "=":
            pos += 1
            value, pos = _read_value(text, pos, page, line)
            props[name.group(0)] = value
        else:
            props[name.group(0)] = True


def _read_value(text: str, pos: int, page: str, line: int) -> tuple[Any, int]:
    quote = text[pos]
    if quote in "\"'":
        end = text.find(quote, pos + 1)
        if end < 0:
            raise ReportError(f"page {page}: unterminated string in the component at line {line}")
        return text[pos + 1 : end], end + 1
    if quote == "{":
        depth, i, in_str = 0, pos, ""
        while i < len(text):
            ch = text[i]
            if in_str:
                if ch == "\\":
                    i += 1
                elif ch == in_str:
                    in_str = ""
            elif ch in "\"'`":
                in_str = ch
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    return _expression(text[pos + 1 : i].strip(), page, line), i + 1
            i += 1
        raise ReportError(f"page {page}: unbalanced braces in the component at line {line}")
    end = pos
    while end < len(text) and not text[end].isspace() and text[end] != ">":
        if text.startswith("/>", end):
            break
        end += 1
    return text[pos:end], end


def _expression(expr: str, page: str, line: int) -> Any:
    if re.fullmatch(r"[A-Za-z_]\w*", expr):
        if expr in ("true", "false"):
            return expr == "true"
        return Ref(expr)
    try:
        pythonish = re.sub(r"\btrue\b", "True", re.sub(r"\bfalse\b", "False", expr))
        pythonish = re.sub(r"\bnull\b", "None", pythonish)
        return ast.literal_eval(pythonish)
    except (ValueError, SyntaxError) as exc:
        raise ReportError(
            f"page {page}: expression {{{expr}}} at line {line} is not supported "
            "(use a query name, a number or a literal list / object)"
        ) from exc


# --------------------------------------------------------------------------------------------
# The SQL sandbox
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Formatting (Evidence's built-in format names and simple Excel-style formats)
# --------------------------------------------------------------------------------------------

_NAMED_FMT = re.compile(r"^(num|pct|usd|eur|gbp)(\d)?(k|m|b)?$")
_EXCEL_FMT = re.compile(
    r'^(?P<pre>"[^"]*")?(?P<int>[#,]*0)(?:\.(?P<dec>0+))?(?P<pct>%)?(?P<post>"[^"]*")?$'
)
_CURRENCY = {"usd": "$", "eur": "€", "gbp": "£"}
_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9}
_DATE_FMT = {
    "yyyy-mm-dd": "%Y-%m-%d",
    "mmm yyyy": "%b %Y",
    "mmm yy": "%b %y",
    "mmm": "%b",
    "yyyy": "%Y",
    "longdate": "%B %-d, %Y",
    "mmm d, yyyy": "%b %-d, %Y",
}


def format_value(value: Any, fmt: str | None = None) -> str:
    """Format one value for display the way Evidence would (close enough for a report)."""
    if value is None:
        return "–"
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return "–"
    if isinstance(value, bool):
        return "true" if value else "false"
    if fmt:
        if fmt == "id":
            return str(value)
        if fmt in _DATE_FMT:
            if isinstance(value, date):
                return value.strftime(_DATE_FMT[fmt])
            return str(value)
        if isinstance(value, int | float | Decimal):
            return _format_number(float(value), fmt)
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _format_number(v: float, fmt: str) -> str:
    named = _NAMED_FMT.match(fmt)
    if named:
        kind, digits, scale = named.groups()
        if kind == "pct":
            return f"{v * 100:,.{int(digits or 0)}f}%"
        suffix = ""
        if scale:
            v /= _SCALE[scale]
            suffix = scale
        decimals = int(digits) if digits is not None else (0 if kind == "num" or scale else 2)
        text = f"{abs(v):,.{decimals}f}{suffix}"
        sign = "-" if v < 0 and float(text.rstrip("kmb").replace(",", "") or 0) != 0 else ""
        return f"{sign}{_CURRENCY.get(kind, '')}{text}"
    excel = _EXCEL_FMT.match(fmt)
    if excel:
        decimals = len(excel.group("dec") or "")
        if excel.group("pct"):
            v *= 100
        grouping = "," if "," in excel.group("int") else ""
        text = f"{v:{grouping}.{decimals}f}"
        pre = (excel.group("pre") or '""')[1:-1]
        post = (excel.group("post") or '""')[1:-1] + ("%" if excel.group("pct") else "")
        return f"{pre}{text}{post}"
    raise ReportError(f"format {fmt!r} is not supported by the renderer")


def _axis_format(fmt: str | None) -> dict[str, str]:
    """Plotly axis settings for an Evidence format name."""
    if not fmt:
        return {}
    if fmt in _DATE_FMT:
        return {
            "tickformat": _DATE_FMT[fmt].replace("%-d", "%e"),
            "hoverformat": _DATE_FMT[fmt].replace("%-d", "%e"),
        }
    named = _NAMED_FMT.match(fmt)
    if named:
        kind, digits, scale = named.groups()
        if kind == "pct":
            f = f",.{int(digits or 0)}%"
            return {"tickformat": f, "hoverformat": f}
        f = "~s" if scale else f",.{int(digits) if digits is not None else 0}f"
        return {"tickformat": f, "hoverformat": f, "tickprefix": _CURRENCY.get(kind, "")}
    excel = _EXCEL_FMT.match(fmt)
    if excel:
        f = f",.{len(excel.group('dec') or '')}f"
        out = {"tickformat": f, "hoverformat": f}
        if excel.group("pct"):
            out = {"tickformat": f[:-1] + "%", "hoverformat": f[:-1] + "%"}
        out["tickprefix"] = (excel.group("pre") or '""')[1:-1]
        out["ticksuffix"] = (excel.group("post") or '""')[1:-1]
        return out
    raise ReportError(f"format {fmt!r} is not supported by the renderer")


def column_title(column: str) -> str:
    """Evidence's formatColumnTitles: `revenue_12m` -> `Revenue 12m`."""
    words = column.replace("_", " ").split()
    return " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in words)


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------


@dataclass
class SiteContext:
    """What every page header shows, from the caller's context dict and the data."""

    as_of_date: str | None
    checks: dict[str, int] | None
    run_id: str | None
    generated_at: str


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        "table"
    )


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = format_value
    env.filters["title"] = column_title
    return env


class PageRenderer:
    def __init__(
        self,
        page: Page,
        results: dict[str, QueryResult],
        env: Environment,
        md: MarkdownIt,
    ) -> None:
        self.page = page
        self.results = results
        self.env = env
        self.md = md
        self.macros = env.get_template("components.html.j2").module
        self.charts = 0

    # -- helpers -------------------------------------------------------------------------

    def fail(self, component: Component, message: str) -> ReportError:
        return ReportError(
            f"page {self.page.path.name}: <{component.name}> at line {component.line}: {message}"
        )

    def data(self, component: Component, prop: str = "data") -> QueryResult:
        ref = component.prop(prop)
        if not isinstance(ref, Ref):
            raise self.fail(component, f"{prop}={{query}} is required")
        if ref.name not in self.results:
            raise self.fail(component, f"unknown query '{ref.name}'")
        return self.results[ref.name]

    def column(self, component: Component, result: QueryResult, name: Any, prop: str) -> str:
        if not isinstance(name, str) or name not in result.columns:
            raise self.fail(
                component,
                f"{prop}={name!r} is not a column of query '{result.name}' "
                f"(columns: {', '.join(result.columns)})",
            )
        return name

    def columns(
        self, component: Component, result: QueryResult, value: Any, prop: str
    ) -> list[str]:
        if value is None:
            return []
        names = value if isinstance(value, list | tuple) else [value]
        return [self.column(component, result, n, prop) for n in names]

    def empty(self, component: Component, result: QueryResult) -> Markup | None:
        """Evidence's emptySet: 'error' (default) fails the build, 'warn' / 'pass' show text."""
        if len(result):
            return None
        mode = str(component.prop("emptySet", "error"))
        message = str(component.prop("emptyMessage", "No records"))
        if mode == "error":
            raise self.fail(
                component,
                f"query '{result.name}' returned no rows (set emptySet=pass to allow that)",
            )
        if mode == "warn":
            log.warning("page %s: query '%s' returned no rows", self.page.path.name, result.name)
        return self.macros.empty(message=message, title=component.prop("title"))

    # -- the page ------------------------------------------------------------------------

    def render_nodes(self, nodes: Iterable[Node]) -> Markup:
        parts: list[str] = []
        fragments: dict[str, str] = {}
        for node in nodes:
            if isinstance(node, str):
                parts.append(node)
                continue
            if node.name == "#if":  # rendered in place, without a row around it
                token = f"zzcxwraw{len(fragments)}zz"
                branch = node.children if self.condition(node) else node.alternate
                fragments[token] = str(self.render_nodes(branch))
                parts.append(f"\n\n{token}\n\n")
                continue
            token = f"zzcxw{len(fragments)}zz"
            fragments[token] = str(self.render_component(node))
            parts.append(token if node.name in FLOW_COMPONENTS else f"\n\n{token}\n\n")
        text = "".join(parts)

        def inline(m: re.Match) -> str:
            name, row, col = m.group(1), int(m.group(2)), m.group(3)
            result = self.results.get(name)
            if result is None or col not in result.columns or row >= len(result):
                raise ReportError(
                    f"page {self.page.path.name}: {m.group(0)} does not name a query value"
                )
            token = f"zzcxw{len(fragments)}zz"
            fragments[token] = str(
                self.macros.value(text=format_value(result.rows[row][result.index(col)]))
            )
            return token

        text = _INLINE_EXPR.sub(inline, text)
        rendered = self.md.render(text)
        rendered = re.sub(r"<p>\s*(zzcxwraw\d+zz)\s*</p>", r"\1", rendered)
        rendered = _HREF.sub(self._link, rendered)
        rendered = re.sub(
            r"<p>((?:\s*zzcxw\d+zz\s*)+)</p>",
            lambda m: f'<div class="row">{m.group(1)}</div>',
            rendered,
        )
        for token, fragment in fragments.items():
            rendered = rendered.replace(token, fragment)
        return Markup(rendered)

    def _link(self, m: re.Match) -> str:
        """Evidence links pages as `/slug`; the static site is opened from files."""
        target = m.group(1)
        if target == "/":
            return 'href="index.html"'
        if re.fullmatch(r"/[a-z0-9][a-z0-9\-]*/?", target):
            return f'href="{target.strip("/")}.html"'
        return m.group(0)

    def condition(self, block: Component) -> bool:
        """The {#if} tests Evidence pages use: `q.length > 0`, `q[0].col > 0`, `!q.length`."""
        test = str(block.prop("test"))
        m = _CONDITION.fullmatch(test)
        if not m:
            raise self.fail(block, f"{{#if {test}}} is not a supported condition")
        negate, name, row, col, op, literal = m.groups()
        if name not in self.results:
            raise self.fail(block, f"unknown query '{name}'")
        result = self.results[name]
        if col is None:
            value: Any = len(result)
        else:
            if col not in result.columns:
                raise self.fail(block, f"'{col}' is not a column of query '{name}'")
            value = result.rows[int(row)][result.index(col)] if int(row) < len(result) else None
        if op is None:
            outcome = bool(value)
        else:
            other: Any = ast.literal_eval({"true": "True", "false": "False"}.get(literal, literal))
            if isinstance(value, Decimal):
                value = float(value)
            outcome = {
                "===": value == other, "==": value == other, "!==": value != other,
                "!=": value != other, ">": value is not None and value > other,
                ">=": value is not None and value >= other,
                "<": value is not None and value < other,
                "<=": value is not None and value <= other,
            }[op]  # fmt: skip
        return not outcome if negate else outcome

    def render_component(self, c: Component) -> Markup:
        handler = {
            "BigValue": self.big_value,
            "Value": self.value,
            "DataTable": self.data_table,
            "LineChart": self.chart,
            "BarChart": self.chart,
            "AreaChart": self.chart,
            "ScatterPlot": self.chart,
            "Chart": self.chart,
            "Alert": self.alert,
            "Details": self.details,
            "Grid": self.grid,
        }.get(c.name)
        if handler is None:
            where = (
                "only inside a chart or table" if c.name in CHILD_COMPONENTS else "not supported"
            )
            raise self.fail(c, f"component {where} by the renderer")
        return handler(c)

    # -- components ----------------------------------------------------------------------

    def big_value(self, c: Component) -> Markup:
        result = self.data(c)
        value_col = self.column(c, result, c.prop("value"), "value")
        empty = self.empty(c, result)
        if empty is not None:
            return empty
        row = result.rows[0]
        fmt = c.prop("fmt")
        comparison = None
        if c.prop("comparison") is not None:
            comp_col = self.column(c, result, c.prop("comparison"), "comparison")
            comp_value = row[result.index(comp_col)]
            direction = 0
            if isinstance(comp_value, int | float | Decimal) and comp_value:
                direction = 1 if comp_value > 0 else -1
            good = direction * (-1 if _truthy(c.prop("downIsGood", False)) else 1)
            comparison = {
                "text": format_value(comp_value, c.prop("comparisonFmt", fmt)),
                "title": c.prop("comparisonTitle") or column_title(comp_col),
                "arrow": {1: "▲", -1: "▼"}.get(direction, "")
                if _truthy(c.prop("comparisonDelta", True))
                else "",
                "tone": {1: "positive", -1: "negative"}.get(good, "neutral")
                if _truthy(c.prop("comparisonDelta", True))
                else "neutral",
            }
        return self.macros.big_value(
            title=c.prop("title") or column_title(value_col),
            text=format_value(row[result.index(value_col)], fmt),
            comparison=comparison,
        )

    def value(self, c: Component) -> Markup:
        result = self.data(c)
        col = self.column(c, result, c.prop("column", result.columns[0]), "column")
        row = int(c.prop("row", 0))
        if row >= len(result):
            if len(result) == 0 and str(c.prop("emptySet", "error")) != "error":
                return self.macros.value(text=str(c.prop("emptyMessage", "–")))
            raise self.fail(c, f"query '{result.name}' has no row {row}")
        return self.macros.value(
            text=format_value(result.rows[row][result.index(col)], c.prop("fmt"))
        )

    def data_table(self, c: Component) -> Markup:
        result = self.data(c)
        format_titles = _truthy(c.prop("formatColumnTitles", True))
        specs = []
        child_columns = [ch for ch in c.children if isinstance(ch, Component)]
        for child in child_columns:
            if child.name != "Column":
                raise self.fail(child, "only <Column> may sit inside <DataTable>")
        for child in child_columns or [
            Component("Column", {"id": col}, [], c.line) for col in result.columns
        ]:
            col = self.column(c, result, child.prop("id"), "Column id")
            numeric = result.is_numeric(col)
            specs.append(
                {
                    "index": result.index(col),
                    "title": child.prop("title") or (column_title(col) if format_titles else col),
                    "fmt": child.prop("fmt"),
                    "align": child.prop("align") or ("right" if numeric else "left"),
                }
            )
        empty = self.empty(c, result)
        if empty is not None:
            return empty
        shown = result.rows[:MAX_TABLE_ROWS]
        rows = [[format_value(row[s["index"]], s["fmt"]) for s in specs] for row in shown]
        visible = c.prop("rows", 10)
        max_rows = None if str(visible) == "all" else int(visible)
        return self.macros.data_table(
            title=c.prop("title"),
            columns=specs,
            rows=rows,
            total=len(result),
            max_rows=max_rows,
        )

    def alert(self, c: Component) -> Markup:
        status = {"success": "positive", "error": "negative"}.get(
            str(c.prop("status", "info")), str(c.prop("status", "info"))
        )
        return self.macros.alert(status=status, body=self.render_nodes(c.children))

    def details(self, c: Component) -> Markup:
        return self.macros.details(
            title=c.prop("title", "Details"),
            open=_truthy(c.prop("open", False)),
            body=self.render_nodes(c.children),
        )

    def grid(self, c: Component) -> Markup:
        return self.macros.grid(cols=int(c.prop("cols", 2)), body=self.render_nodes(c.children))

    # -- charts --------------------------------------------------------------------------

    def chart(self, c: Component) -> Markup:
        result = self.data(c)
        x = self.column(c, result, c.prop("x", result.columns[0]), "x")
        series = c.prop("series")
        if series is not None:
            series = self.column(c, result, series, "series")
        layers = self._layers(c, result, x, series)
        empty = self.empty(c, result)
        if empty is not None:
            return empty
        rows = list(result.rows)
        kind = {"LineChart": "line", "BarChart": "bar", "AreaChart": "area"}.get(c.name, "scatter")
        if c.name == "Chart":
            kind = layers[0]["kind"] if layers else "line"
        xi = result.index(x)
        x_numeric_or_date = result.is_numeric(x) or result.types[xi].startswith(
            ("DATE", "TIMESTAMP")
        )
        if _truthy(c.prop("sort", True)):
            if kind == "bar" and not x_numeric_or_date and layers and layers[0]["ys"]:
                totals: dict[Any, float] = {}
                yi = result.index(layers[0]["ys"][0])
                for row in rows:
                    totals[row[xi]] = totals.get(row[xi], 0.0) + _num(row[yi])
                rows.sort(key=lambda r: -totals[r[xi]])
            elif x_numeric_or_date:
                rows.sort(key=lambda r: (r[xi] is None, r[xi] if r[xi] is not None else 0))
        swap = _truthy(c.prop("swapXY", False))
        fig = go.Figure()
        palette = c.prop("colorPalette") or list(PALETTE)
        series_colors = c.prop("seriesColors") or {}
        color_index = 0
        for layer in layers:
            for ycol in layer["ys"]:
                groups = _group(
                    rows,
                    result.index(layer["series"]) if layer["series"] else None,
                    c.prop("seriesOrder") or (),
                )
                for group_value, group_rows in groups:
                    name = layer.get("name")
                    if group_value is not _NO_GROUP:
                        label = format_value(group_value)
                        name = label if len(layer["ys"]) == 1 else f"{label} – {column_title(ycol)}"
                    name = name or column_title(ycol)
                    color = (
                        layer.get("color")
                        or series_colors.get(name)
                        or (series_colors.get(ycol) if group_value is _NO_GROUP else None)
                        or palette[color_index % len(palette)]
                    )
                    color = SEMANTIC_COLORS.get(color, color)
                    color_index += 1
                    fig.add_trace(
                        self._trace(c, layer, result, group_rows, x, ycol, name, color, swap)
                    )
        self._annotations(c, fig, result)
        self._layout(c, fig, result, x, layers, kind, swap)
        self.charts += 1
        div_id = f"chart-{self.page.slug}-{self.charts}"
        figure_html = fig.to_html(
            full_html=False,
            include_plotlyjs=False,
            div_id=div_id,
            config={"displayModeBar": False, "responsive": True},
        )
        return self.macros.chart(
            title=c.prop("title"),
            subtitle=c.prop("subtitle"),
            figure=Markup(figure_html),
            kind=kind,
        )

    def _layers(self, c: Component, result: QueryResult, x: str, series: str | None) -> list[dict]:
        if c.name == "Chart":
            layers = []
            for child in c.children:
                if not isinstance(child, Component) or child.name in (
                    "ReferenceLine",
                    "ReferenceArea",
                ):
                    continue
                kinds = {"Line": "line", "Bar": "bar", "Area": "area", "Scatter": "scatter"}
                if child.name not in kinds:
                    raise self.fail(child, "not supported inside <Chart>")
                ys = self.columns(child, result, child.prop("y", c.prop("y")), "y")
                child_series = child.prop("series", series)
                if child_series is not None:
                    child_series = self.column(child, result, child_series, "series")
                layers.append(
                    {
                        "kind": kinds[child.name],
                        "ys": ys,
                        "series": child_series,
                        "axis": "y",
                        "name": child.prop("name"),
                        "color": child.prop("lineColor") or child.prop("fillColor"),
                        "props": child.props,
                    }
                )
            if not layers:
                raise self.fail(c, "<Chart> needs at least one <Line>, <Bar>, <Area> or <Scatter>")
            return layers
        kind = {
            "LineChart": "line",
            "BarChart": "bar",
            "AreaChart": "area",
            "ScatterPlot": "scatter",
        }[c.name]
        y2 = self.columns(c, result, c.prop("y2"), "y2")
        ys = self.columns(c, result, c.prop("y"), "y")
        if not ys:
            taken = {x, series, *y2}
            ys = [col for col in result.columns if col not in taken and result.is_numeric(col)]
        if not ys:
            raise self.fail(c, f"query '{result.name}' has no numeric column for y")
        layers = [
            {
                "kind": kind,
                "ys": ys,
                "series": series,
                "axis": "y",
                "name": None,
                "color": c.prop("fillColor") or c.prop("lineColor"),
                "props": c.props,
            }
        ]
        if y2:
            default = "line" if kind == "line" else "bar"
            layers.append(
                {
                    "kind": str(c.prop("y2SeriesType", default)),
                    "ys": y2,
                    "series": None,
                    "axis": "y2",
                    "name": None,
                    "color": None,
                    "props": c.props,
                }
            )
        return layers

    def _trace(
        self,
        c: Component,
        layer: dict,
        result: QueryResult,
        rows: list[tuple],
        x: str,
        ycol: str,
        name: str,
        color: str,
        swap: bool,
    ) -> go.BaseTraceType:
        xs = [_plot_value(r[result.index(x)]) for r in rows]
        ys = [_plot_value(r[result.index(ycol)]) for r in rows]
        props = layer["props"]
        common = {"name": _plot_text(name), "legendgroup": _plot_text(name)}
        if layer["axis"] == "y2":
            common["yaxis"] = "y2"
        kind = layer["kind"]
        if kind == "bar":
            bar = go.Bar(
                x=ys if swap else xs,
                y=xs if swap else ys,
                orientation="h" if swap else "v",
                marker={"color": color, "opacity": float(props.get("fillOpacity", 1))},
                **common,
            )
            if _truthy(c.prop("labels", False)):
                fmt = c.prop("labelFmt") or c.prop("yFmt")
                bar.text = [format_value(v, fmt) for v in ys]
                bar.textposition = "auto"
            return bar
        line_type = {"dashed": "dash", "dotted": "dot"}.get(
            str(props.get("lineType", "solid")), "solid"
        )
        line = {"color": color, "width": float(props.get("lineWidth", 2)), "dash": line_type}
        if kind == "scatter":
            tooltip = c.prop("tooltipTitle")
            text = None
            if tooltip:
                tooltip = self.column(c, result, tooltip, "tooltipTitle")
                text = [_plot_text(format_value(r[result.index(tooltip)])) for r in rows]
            return go.Scatter(
                x=xs,
                y=ys,
                mode="markers",
                marker={
                    "color": color,
                    "size": float(props.get("pointSize", 10)),
                    "opacity": float(props.get("opacity", 0.8)),
                },
                hovertext=text,
                **common,
            )
        markers = _truthy(props.get("markers", False)) or len(xs) == 1
        trace = go.Scatter(
            x=xs,
            y=ys,
            mode="lines+markers" if markers else "lines",
            line=line,
            connectgaps=str(props.get("handleMissing", "gap")) == "connect",
            **common,
        )
        if kind == "area":
            trace.stackgroup = "one" if layer["series"] or len(layer["ys"]) > 1 else None
            trace.fill = "tonexty" if trace.stackgroup else "tozeroy"
        return trace

    def _annotations(self, c: Component, fig: go.Figure, result: QueryResult) -> None:
        for child in c.children:
            if not isinstance(child, Component):
                continue
            if child.name == "ReferenceLine":
                color = SEMANTIC_COLORS.get(
                    str(child.prop("color", "base-content-muted")), child.prop("color")
                )
                dash = {"solid": "solid", "dotted": "dot"}.get(
                    str(child.prop("lineType", "dashed")), "dash"
                )
                lines: list[tuple[str, Any, str | None]] = []
                if isinstance(child.prop("data"), Ref):
                    ref_data = self.data(child)
                    label_col = child.prop("label")
                    for axis in ("x", "y"):
                        col = child.prop(axis)
                        if col is None:
                            continue
                        col = self.column(child, ref_data, col, axis)
                        for row in ref_data.rows:
                            label = (
                                format_value(row[ref_data.index(label_col)])
                                if label_col in ref_data.columns
                                else None
                            )
                            value = row[ref_data.index(col)]
                            if not _truthy(child.prop("hideValue", False)):
                                label = (
                                    f"{label} {format_value(value)}"
                                    if label
                                    else format_value(value)
                                )
                            lines.append((axis, value, label))
                        break  # x wins over y, as in Evidence
                else:
                    for axis in ("x", "y"):
                        if child.prop(axis) is None:
                            continue
                        value = child.prop(axis)
                        value = _num(value) if axis == "y" else value
                        label = child.prop("label")
                        if not _truthy(child.prop("hideValue", False)):
                            label = (
                                f"{label} ({format_value(value)})" if label else format_value(value)
                            )
                        lines.append((axis, value, label))
                        break
                for axis, value, label in lines:
                    self._reference_line(fig, axis, _plot_value(value), label, color, dash)
            elif child.name == "ReferenceArea":
                color = SEMANTIC_COLORS.get(str(child.prop("color", "info")), child.prop("color"))
                if child.prop("xMin") is not None or child.prop("xMax") is not None:
                    fig.add_shape(
                        type="rect", xref="x", yref="paper", y0=0, y1=1,
                        x0=child.prop("xMin"), x1=child.prop("xMax"),
                        fillcolor=color, opacity=0.12, line_width=0,
                    )  # fmt: skip
                else:
                    fig.add_shape(
                        type="rect", xref="paper", yref="y", x0=0, x1=1,
                        y0=_num(child.prop("yMin")), y1=_num(child.prop("yMax")),
                        fillcolor=color, opacity=0.12, line_width=0,
                    )  # fmt: skip
                if child.prop("label"):
                    fig.add_annotation(
                        xref="paper", yref="paper", x=0, y=1, showarrow=False,
                        text=_plot_text(str(child.prop("label"))), xanchor="left",
                    )  # fmt: skip

    @staticmethod
    def _reference_line(
        fig: go.Figure, axis: str, value: Any, label: str | None, color: str, dash: str
    ) -> None:
        line = {"color": color, "width": 1.3, "dash": dash}
        if axis == "x":
            fig.add_shape(
                type="line", xref="x", yref="paper", x0=value, x1=value, y0=0, y1=1, line=line
            )
            if label:
                fig.add_annotation(
                    x=value, xref="x", y=1, yref="paper", text=_plot_text(label), showarrow=False,
                    xanchor="left", yanchor="top", font={"color": color, "size": 11},
                )  # fmt: skip
        else:
            fig.add_shape(
                type="line", xref="paper", yref="y", x0=0, x1=1, y0=value, y1=value, line=line
            )
            if label:
                fig.add_annotation(
                    x=1, xref="paper", y=value, yref="y", text=_plot_text(label), showarrow=False,
                    xanchor="right", yanchor="bottom", font={"color": color, "size": 11},
                )  # fmt: skip

    def _layout(
        self,
        c: Component,
        fig: go.Figure,
        result: QueryResult,
        x: str,
        layers: list[dict],
        kind: str,
        swap: bool,
    ) -> None:
        has_y2 = any(layer["axis"] == "y2" for layer in layers)
        height = int(c.prop("chartAreaHeight", 220)) + 110
        value_axis: dict[str, Any] = {
            "gridcolor": "#e5e7eb",
            "zeroline": True,
            "zerolinecolor": "#d1d5db",
            "automargin": True,
            **_axis_format(c.prop("yFmt")),
        }
        category_axis: dict[str, Any] = {
            "automargin": True,
            "showgrid": False,
            **_axis_format(c.prop("xFmt")),
        }
        if c.prop("yMin") is not None or c.prop("yMax") is not None:
            bounds = [_num_or_none(c.prop("yMin")), _num_or_none(c.prop("yMax"))]
            value_axis["range"] = _fill_range(bounds, _axis_values(fig, "y", swap))
            value_axis["autorange"] = False
        title_y = c.prop("yAxisTitle")
        if title_y:
            first_y = layers[0]["ys"][0] if layers and layers[0]["ys"] else ""
            value_axis["title"] = {
                "text": _plot_text(
                    column_title(first_y) if title_y is True or title_y == "true" else str(title_y)
                )
            }
        title_x = c.prop("xAxisTitle")
        if title_x:
            category_axis["title"] = {
                "text": _plot_text(
                    column_title(x) if title_x is True or title_x == "true" else str(title_x)
                )
            }
        if kind == "scatter" and c.name == "ScatterPlot":
            for axis, lo, hi in ((category_axis, "xMin", "xMax"), (value_axis, "yMin", "yMax")):
                if c.prop(lo) is not None and c.prop(hi) is not None:
                    axis["range"] = [_num(c.prop(lo)), _num(c.prop(hi))]
                    axis["autorange"] = False
            category_axis["showgrid"] = True
            category_axis["gridcolor"] = "#e5e7eb"
        if (
            kind == "bar"
            and not result.is_numeric(x)
            and not result.types[result.index(x)].startswith(("DATE", "TIMESTAMP"))
        ):
            category_axis["type"] = "category"
            # long labels are cut on the axis (the full text stays in the hover)
            categories = list(
                dict.fromkeys(v for trace in fig.data for v in (trace.y if swap else trace.x) or ())
            )
            if any(isinstance(v, str) and len(v) > MAX_LABEL for v in categories):
                category_axis["tickmode"] = "array"
                category_axis["tickvals"] = categories
                category_axis["ticktext"] = [_shorten(v) for v in categories]
        layout: dict[str, Any] = {
            "height": height,
            "margin": {"l": 8, "r": 8, "t": 36, "b": 8},
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "font": {
                "family": "Inter, system-ui, -apple-system, Segoe UI, sans-serif",
                "size": 12,
                "color": "#374151",
            },
            "showlegend": _truthy(c.prop("legend", len(fig.data) > 1)),
            "legend": {
                "orientation": "h",
                "yanchor": "bottom",
                "y": 1.02,
                "x": 0,
                "xanchor": "left",
            },
            "hovermode": "closest" if kind == "scatter" else "x unified",
            "template": "none",
        }
        bar_type = str(c.prop("type", "stacked"))
        layout["barmode"] = "group" if bar_type == "grouped" else "stack"
        if bar_type == "stacked100":
            layout["barnorm"] = "percent"
            value_axis["ticksuffix"] = "%"
        if swap:
            category_axis["autorange"] = "reversed"
            layout["xaxis"], layout["yaxis"] = value_axis, category_axis
        else:
            layout["xaxis"], layout["yaxis"] = category_axis, value_axis
        if has_y2:
            y2: dict[str, Any] = {
                "overlaying": "y",
                "side": "right",
                "showgrid": False,
                "zeroline": False,
                "automargin": True,
                "tickmode": "auto",  # its own ticks, not the primary axis's grid
                **_axis_format(c.prop("y2Fmt")),
            }
            y2_range = [_num_or_none(c.prop("y2Min")), _num_or_none(c.prop("y2Max"))]
            # set from the data: Plotly leaves no headroom above a secondary axis's line
            y2["range"] = _fill_range(y2_range, _axis_values(fig, "y2", False))
            y2["autorange"] = False
            if c.prop("y2AxisTitle"):
                y2["title"] = {"text": _plot_text(str(c.prop("y2AxisTitle")))}
            layout["yaxis2"] = y2
        fig.update_layout(**layout)


_NO_GROUP = object()


def _group(
    rows: list[tuple], index: int | None, order: Sequence[Any] = ()
) -> list[tuple[Any, list[tuple]]]:
    """Rows by series value, in Evidence's seriesOrder, then in order of appearance."""
    if index is None:
        return [(_NO_GROUP, rows)]
    groups: dict[Any, list[tuple]] = {}
    for row in rows:
        groups.setdefault(row[index], []).append(row)
    rank = {value: i for i, value in enumerate(order)}
    return sorted(groups.items(), key=lambda item: rank.get(item[0], len(rank)))


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "0", "no", "")
    return bool(value)


def _num(value: Any) -> float:
    if value is None:
        return 0.0
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ReportError(f"{value!r} is not a number") from None


def _axis_values(fig: go.Figure, axis: str, swap: bool) -> list[float]:
    """The values plotted against the value axis ``axis`` ('y' or 'y2')."""
    values = []
    for trace in fig.data:
        if (getattr(trace, "yaxis", None) or "y") != axis:
            continue
        data = trace.x if swap and axis == "y" else trace.y
        values.extend(float(v) for v in data or () if isinstance(v, int | float))
    return values


def _fill_range(bounds: list[float | None], values: list[float]) -> list[float]:
    """Complete a value axis range from the data where a bound is not fixed, with headroom."""
    low, high = bounds
    if low is not None and high is not None:
        return [low, high]
    data_low = min([*values, 0.0])
    data_high = max([*values, 0.0])
    pad = 0.05 * (
        (high if high is not None else data_high) - (low if low is not None else data_low)
    )
    return [
        low if low is not None else data_low - (pad if data_low < 0 else 0),
        high if high is not None else data_high + pad,
    ]


def _num_or_none(value: Any) -> float | None:
    return None if value is None else _num(value)


def _plot_text(text: str) -> str:
    """Plotly renders a few HTML tags in labels; data must show as text, never as markup."""
    return html.escape(text, quote=False)


def _shorten(label: Any) -> Any:
    """Cut an (already escaped) axis label, without cutting an HTML entity in two."""
    if not isinstance(label, str) or len(label) <= MAX_LABEL:
        return label
    cut = label[: MAX_LABEL - 1]
    amp = cut.rfind("&")
    if amp >= 0 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def _plot_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return _plot_text(value)
    return value


# --------------------------------------------------------------------------------------------
# The site
# --------------------------------------------------------------------------------------------


def load_pages(pages_dir: Path) -> list[Page]:
    pages = [parse_page(p) for p in sorted(Path(pages_dir).glob("*.md"))]
    if not pages:
        raise ReportError(f"no pages in {pages_dir}")
    return sorted(pages, key=lambda p: (p.slug != "index", p.position, p.title))


def _site_context(con: duckdb.DuckDBPyConnection, context: dict[str, Any]) -> SiteContext:
    as_of = context.get("as_of_date")
    if as_of is None:
        try:
            row = con.execute("select max(as_of_date) from warehouse.warehouse_as_of").fetchone()
            as_of = row[0] if row else None
        except duckdb.Error:
            as_of = None
    checks = context.get("checks")
    if checks is not None:
        checks = {
            "passed": int(checks.get("passed", 0)),
            "warnings": int(checks.get("warnings", checks.get("warned", 0))),
            "failed": int(checks.get("failed", 0)),
        }
    else:
        try:
            row = con.execute(
                "select count(*) filter (where success), "
                "count(*) filter (where not success and severity = 'warning'), "
                "count(*) filter (where not success and severity <> 'warning'), count(*) "
                "from warehouse.check_results"
            ).fetchone()
            if row and row[3]:
                checks = {"passed": row[0], "warnings": row[1], "failed": row[2]}
        except duckdb.Error:
            checks = None
    generated = context.get("generated_at") or datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return SiteContext(
        as_of_date=format_value(as_of) if as_of is not None else None,
        checks=checks,
        run_id=context.get("run_id"),
        generated_at=str(generated),
    )


def render_site(
    pages_dir: Path,
    database: Path,
    out_dir: Path,
    context: dict[str, Any] | None = None,
) -> list[Path]:
    """Render every Evidence page of ``pages_dir`` into ``out_dir`` as static HTML.

    ``database`` is the serving database that `reports/sources/*/` queries read.
    ``context`` (all optional): ``as_of_date`` (else read from warehouse_as_of), ``checks``
    (``{"passed", "warned" or "warnings", "failed"}``, else counted from check_results),
    ``run_id``, ``generated_at``, ``check_results`` (rows that replace the
    ``warehouse.check_results`` source table). Returns the written pages, index first.
    Raises ReportError (naming the page and query) on any failure; a caller that renders
    into a fresh release folder then simply does not publish it."""
    context = dict(context or {})
    pages_dir, out_dir = Path(pages_dir), Path(out_dir)
    pages = load_pages(pages_dir)
    sources = load_sources(pages_dir.parent / "sources")
    provided = {}
    if context.get("check_results") is not None:
        provided["check_results"] = list(context.pop("check_results"))
    con, missing = open_sandbox(Path(database), sources, provided)
    try:
        site = _site_context(con, context)
        env = _environment()
        md = _markdown()
        template = env.get_template("page.html.j2")
        nav = [{"title": p.title, "href": p.file_name, "slug": p.slug} for p in pages]
        rendered: list[tuple[Path, str]] = []
        plotly_js: Markup | None = None
        for page in pages:
            try:
                results = run_page_queries(con, page)
            except ReportError as exc:
                gone = [m for m in missing if re.search(rf"\b{m.split('.', 1)[1]}\b", str(exc))]
                if gone:
                    raise ReportError(
                        f"{exc}\n(source tables not in {database}: {', '.join(gone)})"
                    ) from exc
                raise
            renderer = PageRenderer(page, results, env, md)
            body = renderer.render_nodes(page.body)
            if renderer.charts and plotly_js is None:
                plotly_js = Markup(get_plotlyjs().replace("</script", "<\\/script"))
            html_text = template.render(
                page=page,
                body=body,
                nav=nav,
                site=site,
                plotly_js=plotly_js if renderer.charts else None,
            )
            rendered.append((out_dir / page.file_name, html_text))
    finally:
        con.close()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path, text in rendered:  # written only once every page rendered
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written

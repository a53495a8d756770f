"""Rendering a parsed page: Markdown, `{#if}` blocks, inline values and the components
(`<BigValue>`, `<Value>`, `<DataTable>`, `<Alert>`, `<Details>`, `<Grid>`; charts are drawn by
`report_site.charts`) with the Jinja macros of `templates/components.html.j2` (autoescaped)."""

from __future__ import annotations

import ast
import logging
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from jinja2 import Environment
from markdown_it import MarkdownIt
from markupsafe import Markup

from report_site.charts import ChartRenderer
from report_site.errors import ReportError
from report_site.formatting import column_title, format_value, truthy
from report_site.pages import CHILD_COMPONENTS, FLOW_COMPONENTS, Component, Node, Page, Ref
from report_site.sandbox import QueryResult

log = logging.getLogger(__name__)

MAX_TABLE_ROWS = 1000

_INLINE_EXPR = re.compile(r"\{\s*([A-Za-z_]\w*)\[(\d+)\]\.([A-Za-z_]\w*)\s*\}")
_HREF = re.compile(r'href="([^"]*)"')
_CONDITION = re.compile(
    r"(!)?\s*([A-Za-z_]\w*)(?:\.length|\[(\d+)\]\.([A-Za-z_]\w*))"
    r"(?:\s*(===|==|!==|!=|>=|<=|>|<)\s*(-?\d+(?:\.\d+)?|'[^']*'|\"[^\"]*\"|true|false))?"
)


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
            good = direction * (-1 if truthy(c.prop("downIsGood", False)) else 1)
            comparison = {
                "text": format_value(comp_value, c.prop("comparisonFmt", fmt)),
                "title": c.prop("comparisonTitle") or column_title(comp_col),
                "arrow": {1: "▲", -1: "▼"}.get(direction, "")
                if truthy(c.prop("comparisonDelta", True))
                else "",
                "tone": {1: "positive", -1: "negative"}.get(good, "neutral")
                if truthy(c.prop("comparisonDelta", True))
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
        format_titles = truthy(c.prop("formatColumnTitles", True))
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
            open=truthy(c.prop("open", False)),
            body=self.render_nodes(c.children),
        )

    def grid(self, c: Component) -> Markup:
        return self.macros.grid(cols=int(c.prop("cols", 2)), body=self.render_nodes(c.children))

    def chart(self, c: Component) -> Markup:
        return ChartRenderer(self).render(c)

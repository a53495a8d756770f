"""Parsing Evidence pages: frontmatter, ```sql blocks, and the tree of components and Markdown.

A page is what `reports/pages/<slug>.md` holds: YAML frontmatter (title, sidebar_position),
named SQL blocks (```sql name, possibly referring to other queries as `${name}`), Markdown, and
Evidence components (`<BigValue .../>`, `<LineChart>...</LineChart>`, `{#if ...}` blocks).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lib.settings import PROJECT_DIR
from report_site.errors import ReportError

REPORTS_DIR = PROJECT_DIR / "reports"
PAGES_DIR = REPORTS_DIR / "pages"


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


def load_pages(pages_dir: Path) -> list[Page]:
    """Every page of ``pages_dir``, the index first, then by sidebar position and title."""
    pages = [parse_page(p) for p in sorted(Path(pages_dir).glob("*.md"))]
    if not pages:
        raise ReportError(f"no pages in {pages_dir}")
    return sorted(pages, key=lambda p: (p.slug != "index", p.position, p.title))

"""The site: every page of `reports/pages/` rendered into one static HTML file each, with the
navigation and the header (as-of date, checks, run) that every page shows.

`render_site` is what publishing calls. Pages are rendered in memory and written only once
every page rendered; any failure (SQL error, unknown column, empty data where the page did not
allow it) raises `ReportError` naming the page and the query or component, so that publishing
stops and the last good release stays in place. Plotly's JavaScript is inlined once per page
that has charts, so pages open from `file://` with no network.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markdown_it import MarkdownIt
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from report_site.components import PageRenderer
from report_site.errors import ReportError
from report_site.formatting import column_title, format_value
from report_site.pages import PAGES_DIR, load_pages
from report_site.sandbox import load_sources, open_sandbox, run_page_queries

__all__ = ["PAGES_DIR", "ReportError", "SiteContext", "render_site"]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


# What the header's check count counts, by where the count came from.
CHECKS_COUNTED = "dbt data tests and expectation-suite checks of the run"
EXPECTATIONS_COUNTED = "Great Expectations expectations of the run"
STALE_AFTER_DAYS = 7  # default of CXW_STALE_AFTER_DAYS


@dataclass
class SiteContext:
    """What every page header shows, from the caller's context dict and the data."""

    as_of_date: str | None
    checks: dict[str, int] | None
    run_id: str | None
    generated_at: str
    checks_counted: str = CHECKS_COUNTED
    report_date: str | None = None
    data_age_days: int | None = None  # days from the as-of date to the report (run) date
    stale_after_days: int = STALE_AFTER_DAYS

    @property
    def is_stale(self) -> bool:
        return self.data_age_days is not None and self.data_age_days > self.stale_after_days


def stale_after_days(context: dict[str, Any]) -> int:
    """Days the data may be old (as-of date to run date) before the pages warn: the context's
    ``stale_after_days``, else CXW_STALE_AFTER_DAYS, else 7."""
    value = context.get("stale_after_days", os.environ.get("CXW_STALE_AFTER_DAYS"))
    if value is None or str(value).strip() == "":
        return STALE_AFTER_DAYS
    try:
        days = int(str(value).strip())
    except ValueError:
        days = -1
    if days < 0:
        raise ReportError(
            f"CXW_STALE_AFTER_DAYS={value!r} is not a number of days (a whole number, 0 or more)"
        )
    return days


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


def _count_checks(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, int] | None:
    try:
        row = con.execute(sql).fetchone()
    except duckdb.Error:
        return None
    if not row or not row[3]:
        return None
    return {"passed": row[0], "warnings": row[1], "failed": row[2]}


def _site_context(
    con: duckdb.DuckDBPyConnection, context: dict[str, Any], report_date: date, limit: int
) -> SiteContext:
    as_of = context.get("as_of_date")
    if as_of is None:
        try:
            row = con.execute("select max(as_of_date) from warehouse.warehouse_as_of").fetchone()
            as_of = row[0] if row else None
        except duckdb.Error:
            as_of = None
    checks = context.get("checks")
    counted = CHECKS_COUNTED
    if checks is not None:
        checks = {
            "passed": int(checks.get("passed", 0)),
            "warnings": int(checks.get("warnings", checks.get("warned", 0))),
            "failed": int(checks.get("failed", 0)),
        }
    else:  # the run's checks when published, else its expectations
        checks = _count_checks(
            con,
            "select count(*) filter (where passed), "
            "count(*) filter (where not passed and severity = 'warning'), "
            "count(*) filter (where not passed and severity <> 'warning'), count(*) "
            "from warehouse.run_checks",
        )
        if checks is None:
            counted = EXPECTATIONS_COUNTED
            checks = _count_checks(
                con,
                "select count(*) filter (where success), "
                "count(*) filter (where not success and severity = 'warning'), "
                "count(*) filter (where not success and severity <> 'warning'), count(*) "
                "from warehouse.check_results",
            )
    if isinstance(as_of, str):
        as_of = date.fromisoformat(as_of)
    age = (report_date - as_of).days if isinstance(as_of, date) else None
    generated = context.get("generated_at") or datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return SiteContext(
        as_of_date=format_value(as_of) if as_of is not None else None,
        checks=checks,
        run_id=context.get("run_id"),
        generated_at=str(generated),
        checks_counted=counted,
        report_date=format_value(report_date),
        data_age_days=age,
        stale_after_days=limit,
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
    ``warehouse.check_results`` source table), ``run_date`` (the date the data's age is
    measured to: default today, UTC) and ``stale_after_days`` (default CXW_STALE_AFTER_DAYS,
    else 7): pages warn when the as-of date is older. Returns the written pages, index first.
    Raises ReportError (naming the page and query) on any failure; a caller that renders
    into a fresh release folder then simply does not publish it."""
    context = dict(context or {})
    pages_dir, out_dir = Path(pages_dir), Path(out_dir)
    pages = load_pages(pages_dir)
    sources = load_sources(pages_dir.parent / "sources")
    provided = {}
    if context.get("check_results") is not None:
        provided["check_results"] = list(context.pop("check_results"))
    run_date = context.get("run_date") or datetime.now(UTC).date()
    if isinstance(run_date, str):
        run_date = date.fromisoformat(run_date)
    limit = stale_after_days(context)
    provided["report_run"] = [{"report_date": run_date, "stale_after_days": limit}]
    con, missing = open_sandbox(Path(database), sources, provided)
    try:
        site = _site_context(con, context, run_date, limit)
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

"""Reports a leader reads without a glossary: codes shown in words from the seeds, booleans as
words, month names on monthly tables, warm-up months kept out of the repeat-contact trend,
axes that keep noise small, legends in words, one check count, and the data's age measured
against the run date."""

from __future__ import annotations

import csv
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from lib.settings import PROJECT_DIR
from report_site import PAGES_DIR, ReportError, render_site
from report_site.formatting import column_title, format_value
from report_site.pages import Component, parse_page
from report_site.sandbox import load_sources, open_sandbox, run_page_queries
from report_site.site import stale_after_days
from tests.reports.conftest import CONTEXT

SEEDS = PROJECT_DIR / "seeds" / "reference"
SOURCES_DIR = PAGES_DIR.parent / "sources"
LIBRARY = re.compile(r'<script id="plotly-library">.*?</script>', re.S)
STYLE = re.compile(r"<style>.*?</style>", re.S)
MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b")
slow = pytest.mark.slow


def _seed_codes() -> set[str]:
    """Codes of the reference seeds that are identifiers, not words (they hold an underscore),
    plus `untracked`: none of them may reach a reader."""
    codes = {"untracked"}
    with (SEEDS / "code_labels.csv").open() as handle:
        codes |= {row["code"] for row in csv.DictReader(handle)}
    with (SEEDS / "touchpoint_catalog.csv").open() as handle:
        for row in csv.DictReader(handle):
            codes |= {row["touchpoint_code"], row["journey_stage"], row["cx_factor"]}
    with (SEEDS / "ticket_category_touchpoints.csv").open() as handle:
        codes |= {row["category"] for row in csv.DictReader(handle)}
    return {c for c in codes if "_" in c or c == "untracked"}


def _text(path: Path) -> str:
    """The page without Plotly's library and the style sheet: its text, table cells, and the
    chart figures' data (trace names, categories) that Plotly draws."""
    return STYLE.sub("", LIBRARY.sub("", path.read_text()))


def _page(site, slug: str) -> str:
    return _text(site.out / f"{slug}.html")


# -- no code, no boolean, in words ----------------------------------------------------------


def test_the_code_list_is_not_empty():
    codes = _seed_codes()
    assert {"invoice_dispute", "before_purchase", "product_service", "untracked"} <= codes


@slow
def test_no_seed_code_shows_as_text(site):
    codes = _seed_codes()
    for path in site.pages:
        text = _text(path)
        shown = sorted(
            code for code in codes if re.search(rf"(?<![\w.]){re.escape(code)}(?![\w])", text)
        )
        assert not shown, f"{path.name} shows codes instead of words: {shown}"


@slow
def test_labels_come_from_the_seed(site):
    with (SEEDS / "code_labels.csv").open() as handle:
        labels = {(r["code_set"], r["code"]): r["label"] for r in csv.DictReader(handle)}
    assert labels[("ticket_category", "invoice_dispute")] in _page(site, "repeat-contacts")
    assert labels[("journey_stage", "before_purchase")] in _page(site, "journeys")
    assert labels[("cx_factor", "product_service")] in _page(site, "voice-of-customer")
    assert labels[("hotspot_status", "untracked")] in _page(site, "hotspots")
    assert labels[("loyalty_stage", "promoter")] in _page(site, "customers")


def test_booleans_format_as_words():
    assert format_value(True) == "yes" and format_value(False) == "no"


@slow
def test_no_boolean_shows_as_true_or_false(site):
    for path in site.pages:
        cells = re.findall(r"<td[^>]*>\s*(true|false|True|False)\s*</td>", path.read_text())
        assert not cells, f"{path.name} shows booleans as {sorted(set(cells))}"
    assert re.search(r"<td[^>]*>\s*yes\s*</td>", _page(site, "hotspots")), "vital few: yes"


# -- legends and titles in words --------------------------------------------------------------


def test_column_titles_read_as_words():
    assert column_title("fcr_rate") == "FCR rate"
    assert column_title("contacts_per_episode") == "Contacts per episode"
    assert column_title("80 % line") == "80 % line"
    assert column_title("revenue_12m") == "Revenue 12m"


@slow
def test_legends_are_words(site):
    pages = " ".join(_text(p) for p in site.pages)
    for clumsy in ("Fcr Rate", "Eighty Percent Line", "Cumulative Share", "At Risk Share"):
        assert clumsy not in pages
    assert '"FCR rate"' in _page(site, "repeat-contacts")
    assert '"80 % line"' in _page(site, "hotspots")


# -- month names ------------------------------------------------------------------------------


@slow
def test_monthly_tables_show_month_names(site, warehouse):
    con = duckdb.connect(str(warehouse.serving), read_only=True)
    try:
        (latest,) = con.execute("select max(period_start) from metrics.hotspots_monthly").fetchone()
    finally:
        con.close()
    previous = (latest.replace(day=1) - timedelta(days=1)).replace(day=1)
    heading = f'{latest:%b %Y}</span> against <span class="value">{previous:%b %Y}'
    assert heading in _page(site, "hotspots")
    for slug in ("hotspots", "repeat-contacts", "index"):
        tables = re.findall(r"<table.*?</table>", _page(site, slug), re.S)
        assert any(MONTH.search(t) for t in tables), f"{slug}: no month name in a table"


# -- warm-up months, low samples, axes --------------------------------------------------------


@slow
def test_warm_up_months_are_left_out_of_the_repeat_trend(warehouse):
    con = duckdb.connect(str(warehouse.serving), read_only=True)
    try:
        (first,) = con.execute("select min(created_at) from marts.tickets").fetchone()
    finally:
        con.close()
    # by hand: a month holding any of the first 7 days of data is a warm-up month
    warm_up_end = first.date() + timedelta(days=7)
    page = parse_page(PAGES_DIR / "repeat-contacts.md")
    sandbox, _ = open_sandbox(warehouse.serving, load_sources(SOURCES_DIR))
    try:
        results = run_page_queries(sandbox, page)
    finally:
        sandbox.close()
    by_month, shown = results["by_month"], results["by_month_shown"]
    months = {row[by_month.index("month")]: row for row in by_month.rows}
    warm = {m for m in months if m < warm_up_end}
    assert warm, "the demo's first month must be a warm-up month"
    charted = {row[shown.index("month")] for row in shown.rows}
    assert not warm & charted
    for month in warm:
        assert months[month][by_month.index("note")].startswith("warm-up")
    small = {m for m, row in months.items() if row[by_month.index("tickets")] < 30}
    assert not small & charted


def _component(slug: str, name: str, **props) -> Component:
    found = []

    def walk(nodes):
        for node in nodes:
            if isinstance(node, Component):
                if node.name == name and all(node.prop(k) == v for k, v in props.items()):
                    found.append(node)
                walk(node.children)
                walk(node.alternate)

    walk(parse_page(PAGES_DIR / f"{slug}.md").body)
    assert len(found) == 1, f"{slug}: {name} {props}: {len(found)} found"
    return found[0]


def test_score_axes_start_at_the_scale_floor():
    ces = _component("index", "LineChart", y="ces")
    assert (ces.prop("yMin"), ces.prop("yMax")) == ("1", "7")
    factors = _component("voice-of-customer", "ScatterPlot")
    assert (factors.prop("xMin"), factors.prop("xMax")) == ("1", "5")
    csat = _component("voice-of-customer", "LineChart", y="csat")
    assert (csat.prop("yMin"), csat.prop("yMax")) == ("0", "100")


@slow
def test_the_ces_chart_is_drawn_on_its_scale(warehouse, tmp_path: Path):
    """The Overview's own CES chart tag, on two months of CES near 5.2: the axis runs 1 to 7."""
    tag = re.search(r"<LineChart data=\{ces_trend\}.*?/>", (PAGES_DIR / "index.md").read_text())
    assert tag
    pages = tmp_path / "reports" / "pages"
    pages.mkdir(parents=True)
    shutil.copytree(SOURCES_DIR, tmp_path / "reports" / "sources")
    (pages / "index.md").write_text(
        "---\ntitle: CES\n---\n\n```sql ces_trend\nselect * from (values "
        "(date '2026-01-01', 5.21), (date '2026-02-01', 5.28)) as t(month, ces)\n```\n\n"
        + tag.group(0)
        + "\n"
    )
    (written,) = render_site(pages, warehouse.serving, tmp_path / "out", {})
    assert re.findall(r'"range":\[[^\]]*\]', written.read_text()) == ['"range":[1.0,7.0]']


# -- one check count --------------------------------------------------------------------------


def _big_value(text: str, title: str) -> str:
    m = re.search(rf'{re.escape(title)}</p>\s*<p class="big-value-value">([^<]*)</p>', text)
    assert m, f"no big value {title!r}"
    return m.group(1)


@slow
def test_header_and_data_quality_page_count_the_same_checks(site):
    quality = _page(site, "data-quality")
    checks = CONTEXT["checks"]
    assert _big_value(quality, "Checks passed") == str(checks["passed"])
    assert _big_value(quality, "Warnings") == str(checks["warned"])
    assert _big_value(quality, "Failed") == str(checks["failed"])
    assert _big_value(_page(site, "index"), "Checks passed") == str(checks["passed"])
    for path in site.pages:
        assert "dbt data tests and expectation-suite checks of the run" in path.read_text()


# -- freshness against the run date ----------------------------------------------------------


def _freshness_site(warehouse, tmp_path: Path, run_date: date, limit: int) -> tuple[str, str]:
    pages = tmp_path / "reports" / "pages"
    pages.mkdir(parents=True)
    shutil.copytree(SOURCES_DIR, tmp_path / "reports" / "sources")
    shutil.copy(PAGES_DIR / "data-quality.md", pages / "index.md")
    context = {"run_date": run_date.isoformat(), "stale_after_days": limit}
    (written,) = render_site(pages, warehouse.serving, tmp_path / "out", context)
    text = written.read_text()
    return text[: text.index("<main>")], text[text.index("<main>") :]


@slow
def test_old_data_warns_against_the_run_date(warehouse, tmp_path: Path):
    as_of = date(2026, 10, 31)  # the demo's as-of date (conftest's pages show it)
    header, body = _freshness_site(warehouse, tmp_path, as_of + timedelta(days=40), 7)
    assert 'id="stale-data"' in header and "data 40 days old" in header
    assert "The data is" in body and ">40</span> days old." in body


@slow
def test_fresh_data_does_not_warn(warehouse, tmp_path: Path):
    as_of = date(2026, 10, 31)
    header, body = _freshness_site(warehouse, tmp_path, as_of + timedelta(days=2), 7)
    assert 'id="stale-data"' not in header
    assert "within the" in body and "days allowed" in body


def test_stale_after_days_setting(monkeypatch):
    monkeypatch.delenv("CXW_STALE_AFTER_DAYS", raising=False)
    assert stale_after_days({}) == 7
    monkeypatch.setenv("CXW_STALE_AFTER_DAYS", "30")
    assert stale_after_days({}) == 30
    assert stale_after_days({"stale_after_days": 3}) == 3
    monkeypatch.setenv("CXW_STALE_AFTER_DAYS", "a week")
    with pytest.raises(ReportError, match="CXW_STALE_AFTER_DAYS"):
        stale_after_days({})

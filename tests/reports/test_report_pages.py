"""The report pages and their renderer: Evidence pages parse, every page's SQL runs against a
built demo warehouse in the sandbox (extensions off, no files, no wall clock), failures name
the page and query, and the rendered site is self-contained."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from demo_data.generator import PLANTED
from report_site import PAGES_DIR, ReportError, render_site
from report_site.formatting import format_value
from report_site.pages import Component, Ref, load_pages, parse_page
from report_site.sandbox import check_portable, load_sources, open_sandbox, run_page_queries

SOURCES_DIR = PAGES_DIR.parent / "sources"
slow = pytest.mark.slow  # needs the demo warehouse (conftest.py builds it once per session)
EXPECTED_PAGES = {
    "act-on-it",
    "index",
    "hotspots",
    "repeat-contacts",
    "support-operations",
    "journeys",
    "customers",
    "voice-of-customer",
    "data-quality",
}


# -- pages and sources, without data ----------------------------------------------------------


def test_the_pages_are_there_and_parse():
    pages = load_pages(PAGES_DIR)
    assert {p.slug for p in pages} == EXPECTED_PAGES
    assert pages[0].slug == "index"
    for page in pages:
        assert page.frontmatter.get("title"), page.path
        assert page.queries, f"{page.path.name} has no query"


def test_page_sql_reads_only_source_tables():
    sources = {t for s in load_sources(SOURCES_DIR) for t in s.tables}
    for page in load_pages(PAGES_DIR):
        for query in page.queries:
            sql = re.sub(r"--[^\n]*", "", query.sql)
            check_portable(sql)
            for schema, table in re.findall(r"\b(\w+)\.(\w+)\b", sql):
                if schema in {"marts", "metrics", "reference", "quality", "main", "raw_crm"}:
                    pytest.fail(f"{page.path.name}:{query.name} reads {schema}.{table}")
            for table in re.findall(r"\bwarehouse\.(\w+)", sql):
                assert table in sources, f"{page.path.name}:{query.name}: no source for {table}"


def test_evidence_project_files():
    import json

    import yaml

    package = json.loads((PAGES_DIR.parent / "package.json").read_text())
    for name, version in package["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned: {version}"
    assert "@evidence-dev/evidence" in package["dependencies"]
    config = yaml.safe_load((PAGES_DIR.parent / "evidence.config.yaml").read_text())
    assert "@evidence-dev/duckdb" in config["plugins"]["datasources"]
    connection = yaml.safe_load((SOURCES_DIR / "warehouse" / "connection.yaml").read_text())
    assert connection["type"] == "duckdb"
    assert connection["options"]["filename"].endswith("serving.duckdb")
    customers = (SOURCES_DIR / "warehouse" / "customers.sql").read_text()
    assert "account_name" not in re.sub(r"--[^\n]*", "", customers)  # names are PII


def test_parser_reads_evidence_syntax(tmp_path: Path):
    page = tmp_path / "demo.md"
    page.write_text(
        "---\ntitle: Demo\nsidebar_position: 3\n---\n\n"
        "Text with {q[0].n} inline.\n\n"
        "```sql q\nselect 1 as n\n```\n\n"
        "<!-- a comment\n```sql not_a_query\nselect 2\n```\n-->\n\n"
        "<BarChart data={q} x=n y={['n']} swapXY=true title=\"A > B\" labels "
        'seriesColors={{"n": "red"}}/>\n\n'
        "{#if q.length > 0}\n<Alert status=info>yes</Alert>\n{:else}\nno\n{/if}\n\n"
        "```python\nprint('<NotAComponent/>')\n```\n"
    )
    parsed = parse_page(page)
    assert parsed.title == "Demo" and parsed.position == 3
    assert [q.name for q in parsed.queries] == ["q"]
    components = [n for n in parsed.body if isinstance(n, Component)]
    chart, block = components
    assert chart.name == "BarChart"
    assert chart.props == {
        "data": Ref("q"),
        "x": "n",
        "y": ["n"],
        "swapXY": "true",
        "title": "A > B",
        "labels": True,
        "seriesColors": {"n": "red"},
    }
    assert block.name == "#if" and block.prop("test") == "q.length > 0"
    assert [c.name for c in block.children if isinstance(c, Component)] == ["Alert"]
    assert "no" in "".join(n for n in block.alternate if isinstance(n, str))
    assert "<NotAComponent/>" in "".join(n for n in parsed.body if isinstance(n, str))


@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [
        (1234567, None, "1,234,567"),
        (12.345, None, "12.3"),
        (12.345, "num2", "12.35"),
        (0.256, "pct1", "25.6%"),
        (2125275.4, "eur0", "€2,125,275"),
        (2125275.4, "eur1m", "€2.1m"),
        (5.5, '"± "0.0', "± 5.5"),
        (None, "num1", "–"),
        (float("nan"), None, "–"),
    ],
)
def test_format_value(value, fmt, text):
    assert format_value(value, fmt) == text


def test_unknown_format_fails():
    with pytest.raises(ReportError, match="format"):
        format_value(1.0, "bogus_format")


# -- the SQL of every page against a built warehouse --------------------------------------------


@slow
def test_every_page_sql_runs_in_the_sandbox(warehouse):
    con, missing = open_sandbox(warehouse.serving, load_sources(SOURCES_DIR))
    try:
        for page in load_pages(PAGES_DIR):
            results = run_page_queries(con, page)
            assert set(results) == {q.name for q in page.queries}
    finally:
        con.close()


@slow
@pytest.mark.parametrize(
    ("sql", "why"),
    [
        ("""select json_extract('{"a": 1}', '$.a')""", "json"),
        ("""select to_json(42)""", "json"),
        ("""select * from json_each('{"a": 1}')""", "json"),
        ("""select timezone('Europe/Paris', timestamp '2026-01-01 00:00')""", "icu"),
        ("""select timestamp '2026-01-01 00:00' at time zone 'Europe/Paris'""", "icu"),
        ("""select now()""", "wall clock"),
        ("""select current_date""", "wall clock"),
        ("""select * from read_csv('/etc/hostname')""", "file system"),
        ("""select * from 'https://example.com/x.parquet'""", ""),
        ("""select * from marts.customers""", "marts"),
    ],
)
def test_sandbox_refuses_what_evidence_cannot_run(warehouse, sql, why):
    con, _ = open_sandbox(warehouse.serving, load_sources(SOURCES_DIR))
    try:
        with pytest.raises(duckdb.Error) as raised:
            con.execute(sql).fetchall()
        assert why.lower() in str(raised.value).lower()
        # and the sandbox cannot be re-opened from page SQL
        with pytest.raises(duckdb.Error):
            con.execute("set autoload_known_extensions = true")
    finally:
        con.close()


@pytest.mark.parametrize(
    "sql",
    [
        """select '{"a": 1}'::json ->> 'a'""",
        "select cast('2026-01-01 00:00:00+02' as timestamptz)",
        "select 1;",
    ],
)
def test_lint_catches_what_no_macro_can_shadow(sql):
    with pytest.raises(ValueError):
        check_portable(sql)
    check_portable("select 'a ->> b, json; timestamptz' as text_is_fine")


def _page_dir(tmp_path: Path, body: str) -> Path:
    pages = tmp_path / "reports" / "pages"
    pages.mkdir(parents=True)
    shutil.copytree(SOURCES_DIR, tmp_path / "reports" / "sources")
    (pages / "index.md").write_text("---\ntitle: Home\n---\n\nHello.\n")
    (pages / "broken.md").write_text(body)
    return pages


@slow
def test_failing_sql_names_the_page_and_the_query(warehouse, tmp_path: Path):
    pages = _page_dir(
        tmp_path,
        "---\ntitle: Broken\n---\n\n```sql fine\nselect 1 as n\n```\n\n"
        "```sql bad_query\nselect no_such_column from warehouse.customers\n```\n",
    )
    out = tmp_path / "out"
    with pytest.raises(ReportError) as raised:
        render_site(pages, warehouse.serving, out, {})
    message = str(raised.value)
    assert "broken.md" in message and "bad_query" in message and "no_such_column" in message
    assert not out.exists(), "a failed render must leave nothing behind"


@slow
def test_non_portable_sql_fails_the_page(warehouse, tmp_path: Path):
    pages = _page_dir(
        tmp_path,
        "---\ntitle: Broken\n---\n\n"
        "```sql tz\nselect timezone('UTC', created_at) as t from warehouse.customers\n```\n",
    )
    with pytest.raises(ReportError, match=r"broken\.md.*'tz'.*icu"):
        render_site(pages, warehouse.serving, tmp_path / "out", {})


@slow
def test_unknown_column_in_a_component_is_an_error(warehouse, tmp_path: Path):
    pages = _page_dir(
        tmp_path,
        "---\ntitle: Broken\n---\n\n```sql q\nselect 1 as n\n```\n\n"
        "<BigValue data={q} value=nope />\n",
    )
    with pytest.raises(ReportError, match=r"broken\.md.*BigValue.*nope"):
        render_site(pages, warehouse.serving, tmp_path / "out", {})


@slow
def test_empty_data_fails_unless_the_page_allows_it(warehouse, tmp_path: Path):
    pages = _page_dir(
        tmp_path,
        "---\ntitle: Broken\n---\n\n```sql q\nselect 1 as n where false\n```\n\n"
        "<DataTable data={q} emptySet=pass emptyMessage='Nothing here.' />\n\n"
        "<LineChart data={q} x=n y=n />\n",
    )
    with pytest.raises(ReportError, match="LineChart.*no rows"):
        render_site(pages, warehouse.serving, tmp_path / "out", {})


# -- the rendered site ----------------------------------------------------------------------------


@slow
def test_site_has_every_page_with_header_and_nav(site):
    assert {p.stem for p in site.pages} == EXPECTED_PAGES
    for path in site.pages:
        text = path.read_text()
        assert "2026-10-31" in text, f"{path.name}: no as-of date"
        assert "41 passed" in text and "2 warnings" in text and "0 failed" in text
        assert site.context["run_id"][:8] in text
        for slug in EXPECTED_PAGES:
            assert f'href="{slug}.html"' in text, f"{path.name}: no link to {slug}"
        assert 'href="/' not in text, f"{path.name}: an Evidence route was not rewritten"


@slow
def test_site_is_self_contained(site):
    for path in site.pages:
        text = path.read_text()
        assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"(https?:)?//", text), path.name
        charts = text.count('class="plotly-graph-div"')
        assert text.count('id="plotly-library"') == (1 if charts else 0), path.name


@slow
def test_pareto_lists_the_planted_hotspot_first(warehouse):
    page = parse_page(PAGES_DIR / "hotspots.md")
    con, _ = open_sandbox(warehouse.serving, load_sources(SOURCES_DIR))
    try:
        results = run_page_queries(con, page)
    finally:
        con.close()
    hotspots = results["hotspots"]
    first = dict(zip(hotspots.columns, hotspots.rows[0], strict=True))
    assert first["touchpoint_code"] == PLANTED.hotspot_touchpoint
    assert first["is_vital_few"] and first["hotspot_rank"] == 1
    vital = results["vital_few"]
    assert vital.rows[0][vital.index("touchpoint_code")] == PLANTED.hotspot_touchpoint


@slow
def test_missing_check_results_render_gracefully(warehouse, tmp_path: Path):
    pages = tmp_path / "reports" / "pages"
    pages.mkdir(parents=True)
    shutil.copytree(SOURCES_DIR, tmp_path / "reports" / "sources")
    for name in ("index.md", "data-quality.md"):
        shutil.copy(PAGES_DIR / name, pages / name)
    written = render_site(pages, warehouse.bare, tmp_path / "out", {"run_id": "x" * 16})
    for path in written:
        text = path.read_text()
        assert "No check results were published" in text, path.name
        assert "Checks:" in text and "not reported" in text, path.name


@slow
def test_check_results_can_come_from_the_context(warehouse, tmp_path: Path):
    pages = tmp_path / "reports" / "pages"
    pages.mkdir(parents=True)
    shutil.copytree(SOURCES_DIR, tmp_path / "reports" / "sources")
    shutil.copy(PAGES_DIR / "data-quality.md", pages / "index.md")
    rows = [
        {"suite": "s1", "relation": "marts.tickets", "expectation": "expect_x",
         "column_name": "c", "severity": "error", "success": False, "unexpected_count": 4},
        {"suite": "s1", "relation": "marts.tickets", "expectation": "expect_y",
         "column_name": None, "severity": "warning", "success": True, "unexpected_count": 0},
    ]  # fmt: skip
    (written,) = render_site(pages, warehouse.bare, tmp_path / "out", {"check_results": rows})
    text = written.read_text()
    assert "expect_x" in text and "No check results were published" not in text
    assert "1 passed" in text and "1 failed" in text  # header counted from the rows

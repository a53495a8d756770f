"""The rendered report site in headless Chromium: every page loads from file:// with no
console output, every chart drew its data, no page carries personal data, and text from the
data stays text."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest
from report_browser import LoadedPage, chart_census, chromium_binary, load, screenshot

from tests.reports.conftest import HOSTILE_NAME

CHROMIUM = chromium_binary()
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None, reason="no Chromium on PATH: run scripts/ensure_chromium.sh"
    ),
]

# the lookbehind and the bounded local part keep the scan linear on long base64 runs
EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*"
    r"\.[A-Za-z]{2,}"
)
PHONE = re.compile(r"\+\d{1,3}[ -]?\d{6,}")
WORD = re.compile(r"[^\W\d_][\w'’.-]*")
LIBRARY = re.compile(r'<script id="plotly-library">.*?</script>', re.S)


def _load_all(paths: list[Path]) -> dict[str, LoadedPage]:
    assert CHROMIUM is not None
    with ThreadPoolExecutor(max_workers=4) as pool:
        loaded = pool.map(lambda p: load(p, CHROMIUM), paths)
        return {p.name: page for p, page in zip(paths, loaded, strict=True)}


@pytest.fixture(scope="module")
def loaded(site) -> dict[str, LoadedPage]:
    return _load_all(site.pages)


@pytest.fixture(scope="module")
def hostile_loaded(hostile_site) -> dict[str, LoadedPage]:
    return _load_all(hostile_site.pages)


def test_every_page_loads_without_console_output(loaded):
    for name, page in loaded.items():
        assert page.console == [], f"{name} wrote to the console: {page.console}"
        assert 'id="as-of-date">2026-10-31<' in page.dom, f"{name}: no as-of date in the header"


def test_every_chart_drew_its_data(loaded, site):
    total = 0
    for name, page in loaded.items():
        rendered = Path(site.out / name).read_text().count('class="plotly-graph-div"')
        census = chart_census(page.dom)
        assert len(census) == rendered, f"{name}: {rendered} charts rendered, {len(census)} in DOM"
        for chart, counts in census.items():
            assert counts["traces"] >= 1, f"{name} {chart}: no trace drawn ({counts})"
            assert counts["points"] + counts["lines"] >= 1, f"{name} {chart}: no data ({counts})"
        total += len(census)
    assert total >= 15


def test_pareto_page_shows_the_planted_hotspot_first(loaded):
    dom = loaded["hotspots.html"].dom
    vital = dom[dom.index("The vital few") :]
    first_row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", vital, re.S)
    assert first_row and "Billing and invoicing" in first_row.group(1)
    # the first bar of the Pareto chart is billing too: the first x tick label of the chart
    chart = dom[dom.index("chart-hotspots-1") :]
    ticks = re.findall(r'class="xtick"[^>]*>.*?data-unformatted="([^"]+)"', chart, re.S)
    assert ticks and ticks[0] == "Billing and invoicing", ticks[:3]


def _phrases(content: str) -> set[str]:
    """Every run of 2 to 4 words in ``content`` (names hide in tables, labels and chart JSON)."""
    content = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), content)
    words = [w.rstrip(".-'’") for w in WORD.findall(content)]
    return {" ".join(words[i : i + n]) for n in (2, 3, 4) for i in range(len(words) - n + 1)}


def test_no_personal_data_in_any_page(loaded, site, warehouse):
    con = duckdb.connect(str(warehouse.working), read_only=True)
    try:
        names = {
            r[0].strip()
            for r in con.execute(
                "select full_name from raw_crm.contacts union "
                "select account_name from raw_crm.accounts where segment = 'consumer'"
            ).fetchall()
            if r[0] and " " in r[0].strip()
        }
        phones = {
            r[0] for r in con.execute("select phone from raw_crm.contacts").fetchall() if r[0]
        }
    finally:
        con.close()
    assert len(names) > 100 and phones
    for path in site.pages:
        for content in (LIBRARY.sub("", path.read_text()), LIBRARY.sub("", loaded[path.name].dom)):
            assert not EMAIL.search(content), f"{path.name}: e-mail {EMAIL.search(content)[0]}"
            assert not PHONE.search(content), f"{path.name}: phone {PHONE.search(content)[0]}"
            found = names & _phrases(content)
            assert not found, f"{path.name}: names {sorted(found)[:5]}"
            assert not [p for p in phones if p in content], f"{path.name}: a phone number"


def test_text_from_data_is_escaped(hostile_loaded, hostile_site):
    for name, page in hostile_loaded.items():
        assert not any("xss" in line for line in page.console), f"{name}: {page.console}"
        assert page.console == [], f"{name}: {page.console}"
        assert '<img src="x"' not in page.dom and "<b>marts__touchpoints</b>" not in page.dom
    journeys = hostile_loaded["journeys.html"].dom
    # the hostile name is shown, as text, in the touchpoint table and in the chart's labels
    assert "Cancellation &lt;script&gt;console.error" in journeys
    quality = hostile_loaded["data-quality.html"].dom
    assert "&lt;b&gt;marts__touchpoints&lt;/b&gt;" in quality
    assert '&lt;script&gt;console.error("xss-check")&lt;/script&gt;' in quality
    # the hotspots page reads the name from the hotspot metric mart: shown there as text too
    assert "Cancellation &lt;script&gt;console.error" in hostile_loaded["hotspots.html"].dom
    html = (hostile_site.out / "hotspots.html").read_text()
    assert HOSTILE_NAME not in html  # never written raw into the page or its chart data


def test_overview_screenshot(site, tmp_path: Path):
    assert CHROMIUM is not None
    png = tmp_path / "overview.png"
    screenshot(site.out / "index.html", png, CHROMIUM, height=1800)
    assert png.stat().st_size > 50_000  # a blank page is a few kB

"""The data-quality page: every suite, expectation, observed value, threshold and sample of a
run, in one static HTML file that needs no network (inline styles, no scripts).

Great Expectations' own Data Docs load their styles and scripts from a CDN, so offline they
show an empty shell. This page is written from the run's check results
(`<quality>/runs/<run>/<layer>.json`, written by the check steps) into
`<quality>/data_docs/index.html` after each check step, and into every release
(`published/current/data_docs/index.html`).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

LAYERS = ("raw", "marts")
LAYER_TITLES = {"raw": "Raw tables, before dbt", "marts": "Marts and metrics, before publishing"}

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:80rem;padding:0 1rem;color:#1f2933;line-height:1.4}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:2px solid #d9e2ec}
h3{margin:1.5rem 0 .3rem;font-size:1.05rem}.meta{color:#52606d;font-size:.9rem}
table{border-collapse:collapse;width:100%;font-size:.88rem;margin:.4rem 0 1rem}
th,td{border:1px solid #d9e2ec;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f0f4f8}td.num{text-align:right}code{font-size:.85rem;word-break:break-word}
.status{font-weight:600;white-space:nowrap}.passed{color:#1f7a4d}.warned{color:#a35d00}
.failed{color:#b42318}.counts span{margin-right:1.2rem}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def status(expectation: dict) -> tuple[str, str]:
    """(css class, words) of one expectation's outcome."""
    if expectation.get("success"):
        return "passed", "passed"
    if expectation.get("severity") == "warning":
        return "warned", "warned"
    if expectation.get("blocking", True) is False:
        return "warned", "warned (few bad rows, quarantined)"
    return "failed", "failed (blocks publishing)"


def _value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=str)
    return str(value)


def _sample(sample: list | None) -> str:
    if not sample:
        return ""
    return ", ".join(_e(repr(v)) for v in sample)


def _suite_html(suite: dict) -> str:
    rows = []
    for e in suite.get("expectations", []):
        css, words = status(e)
        bad = e.get("unexpected_count")
        if bad is None:
            bad = e.get("bad_rows")
        rows.append(
            "<tr>"
            f'<td class="status {css}">{_e(words)}</td>'
            f"<td><code>{_e(e.get('expectation'))}</code></td>"
            f"<td>{_e(e.get('column') or '(table)')}</td>"
            f"<td>{_e('error' if e.get('severity') == 'error' else 'warning')}</td>"
            f"<td>{_e(e.get('threshold'))}</td>"
            f"<td>{_e(_value(e.get('observed')))}</td>"
            f"<td>{_e('' if bad is None else f'{bad:,}')}</td>"
            f"<td><code>{_sample(e.get('sample'))}</code></td>"
            f"<td>{_e(e.get('notes'))}</td>"
            "</tr>"
        )
    rows_checked = suite.get("rows")
    checked = f"{rows_checked:,} rows" if isinstance(rows_checked, int) else ""
    return (
        f'<section class="suite" id="{_e(suite.get("suite"))}">'
        f"<h3>{_e(suite.get('suite'))}</h3>"
        f'<p class="meta">table <code>{_e(suite.get("relation"))}</code>; {_e(checked)}; '
        f"{len(suite.get('expectations', []))} expectations</p>"
        "<table><thead><tr><th>status</th><th>expectation</th><th>column</th>"
        "<th>severity</th><th>expected</th><th>observed</th><th>bad rows</th>"
        "<th>sample (as delivered)</th><th>why</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


VENDOR_COLUMNS = (
    "vendor_table", "contract_table", "vendor_rows", "staged_rows", "excluded_rows",
    "quarantined_rows", "is_conserved",
)  # fmt: skip


def read_vendor_rows(con) -> list[dict]:
    """marts.vendor_row_conservation as dicts (none when no system is read from a vendor);
    the marts check step stores them in its results for the page's vendor section."""
    try:
        rows = con.execute(
            f"select {', '.join(VENDOR_COLUMNS)} from marts.vendor_row_conservation "
            "order by vendor_table"
        ).fetchall()
    except Exception:  # noqa: BLE001 - no such mart in this warehouse: no section
        return []
    return [dict(zip(VENDOR_COLUMNS, row, strict=True)) for row in rows]


def _vendor_html(rows: list[dict]) -> str:
    """Every vendor row staged, excluded before the contract, or quarantined (with a reason),
    per vendor table: marts.vendor_row_conservation (docs/sources.md)."""
    if not rows:
        return ""
    body = []
    for r in rows:
        ok = bool(r.get("is_conserved"))
        css, words = ("passed", "all accounted for") if ok else ("failed", "rows lost")
        figures = "".join(
            f'<td class="num">{_e(_count(r.get(c)))}</td>'
            for c in ("vendor_rows", "staged_rows", "excluded_rows", "quarantined_rows")
        )
        body.append(
            f"<tr><td><code>{_e(r.get('vendor_table'))}</code></td>"
            f"<td><code>{_e(r.get('contract_table'))}</code></td>{figures}"
            f'<td class="status {css}">{_e(words)}</td></tr>'
        )
    return (
        '<h2 id="vendor-rows">Vendor tables: every row staged, excluded or quarantined</h2>'
        "<p>Systems read from a vendor's tables (docs/sources.md): per vendor table, its rows, "
        "those staged, those the adapter excluded before the contract (deleted, not closed-won "
        "...: <code>adapters.&lt;vendor&gt;__excluded</code> says why) and those staging "
        "quarantined (<code>marts.quarantined_rows</code> says why). From "
        "<code>marts.vendor_row_conservation</code>.</p>"
        "<table><thead><tr><th>vendor table</th><th>contract table</th><th>rows</th>"
        "<th>staged</th><th>excluded</th><th>quarantined</th><th>status</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _count(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else _value(value)


def load_results(run_dir: Path) -> dict[str, dict]:
    """The check results of a run, by layer (layers not checked in the run are left out)."""
    results = {}
    for layer in LAYERS:
        path = Path(run_dir) / f"{layer}.json"
        if path.exists():
            results[layer] = json.loads(path.read_text())
    return results


def render(results: dict[str, dict], run_id: str = "", links: list[tuple[str, str]] = ()) -> str:
    counts = {"passed": 0, "warned": 0, "failed": 0}
    for payload in results.values():
        for suite in payload.get("suites", []):
            for e in suite.get("expectations", []):
                counts[status(e)[0]] += 1
    sections = []
    for layer in LAYERS:
        if layer not in results:
            continue
        suites = results[layer].get("suites", [])
        sections.append(
            f'<h2 id="{layer}">{_e(LAYER_TITLES.get(layer, layer))}</h2>'
            + "".join(_suite_html(s) for s in suites)
        )
    if not sections:
        sections.append("<p>No checks have run yet.</p>")
    sections.append(_vendor_html(results.get("marts", {}).get("vendor_rows") or []))
    extra = "".join(f'<li><a href="{_e(href)}">{_e(text)}</a></li>' for href, text in links)
    run = f" of run <code>{_e(run_id)}</code>" if run_id else ""
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Data quality checks: CX warehouse</title><style>{STYLE}</style></head><body>"
        "<h1>Data quality checks</h1>"
        f"<p>Every Great Expectations suite{run}: each expectation with its rule, the "
        "observed value, the rows that broke it and a sample of their values as delivered. "
        "Errors block publishing; warnings are published and listed. This page needs no "
        "network.</p>"
        f'<p class="counts">Expectations: <span class="passed">{counts["passed"]} passed</span>'
        f'<span class="warned">{counts["warned"]} warned</span>'
        f'<span class="failed">{counts["failed"]} failed</span></p>'
        + (f"<ul>{extra}</ul>" if extra else "")
        + "".join(sections)
        + "</body></html>\n"
    )


def write_page(
    run_dir: Path, out: Path, run_id: str = "", links: list[tuple[str, str]] = ()
) -> Path:
    """Render the run's check results into ``out`` (an HTML file)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(load_results(run_dir), run_id, list(links)), encoding="utf-8")
    return out

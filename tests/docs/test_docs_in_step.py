"""The project documents itself, in step with the code.

* docs/contract.md lists every raw table and column of ingest/contract.py, with its type, and
  nothing the contract lacks;
* docs/metrics.md lists every metric of the semantic layer (models/semantic/**.yml), and none
  that does not exist;
* nothing the project ships points outside the repository (the developers' background folder
  a user does not have), and every relative link of README and docs resolves.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from ingest.contract import TABLES

PROJECT_DIR = Path(__file__).resolve().parents[2]
CONTRACT_DOC = PROJECT_DIR / "docs" / "contract.md"
METRICS_DOC = PROJECT_DIR / "docs" / "metrics.md"


def _table_rows(text: str, section: str) -> list[list[str]]:
    """The cells of the Markdown table rows under `## <section>` (header and rule left out)."""
    match = re.search(rf"^## {re.escape(section)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"no section '## {section}'"
    rows = []
    for line in match.group(1).splitlines():
        if not line.startswith("|") or set(line) <= set("|- "):
            continue
        rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows[1:]  # the header row


def contract_doc_columns(text: str) -> set[tuple[str, str, str, str]]:
    """(system, table, column, type) of every column row of docs/contract.md."""
    found = set()
    for system in sorted({t.system for t in TABLES}):
        table = None
        for cells in _table_rows(text, system):
            table = cells[0] or table
            found.add((system, table, cells[1], cells[2]))
    return found


def test_contract_doc_lists_every_contract_column():
    documented = contract_doc_columns(CONTRACT_DOC.read_text())
    expected = {(t.system, t.name, c.name, c.type) for t in TABLES for c in t.columns}
    assert expected - documented == set(), "contract columns missing from docs/contract.md"
    assert documented - expected == set(), "docs/contract.md lists columns the contract lacks"


def test_contract_doc_reader_catches_a_missing_column():
    """The check above can fail: drop one column row and it is missed."""
    text = CONTRACT_DOC.read_text().replace("| | priority | text |", "| | priorty | text |")
    documented = contract_doc_columns(text)
    assert ("ticketing", "tickets", "priority", "text") not in documented


def semantic_metrics() -> set[str]:
    names = set()
    for path in (PROJECT_DIR / "models" / "semantic").rglob("*.yml"):
        for metric in (yaml.safe_load(path.read_text()) or {}).get("metrics") or []:
            names.add(metric["name"])
    return names


def documented_metrics(text: str) -> set[str]:
    return {re.sub(r"`", "", cells[0]) for cells in _table_rows(text, _semantic_section(text))}


def _semantic_section(text: str) -> str:
    match = re.search(r"^## (Semantic-layer metrics.*)$", text, re.M)
    assert match, "docs/metrics.md has no '## Semantic-layer metrics' section"
    return match.group(1)


def test_metrics_doc_lists_every_semantic_metric():
    metrics = semantic_metrics()
    assert len(metrics) > 30  # the parser found the semantic layer
    documented = documented_metrics(METRICS_DOC.read_text())
    assert metrics - documented == set(), "semantic-layer metrics missing from docs/metrics.md"
    assert documented - metrics == set(), "docs/metrics.md lists metrics that do not exist"


def test_metrics_doc_defines_the_headline_figures():
    text = METRICS_DOC.read_text()
    for term in (
        "**NPS**",
        "**CSAT**",
        "**CES**",
        "**FCR**",
        "**repeat contact**",
        "**revenue_12m**",
        "**hotspot mart**",
        "**irritation**",
        "**as-of date**",
    ):
        assert term in text, term


def shipped_text_files() -> list[Path]:
    """Every tracked file a user gets, except the test suite's own Python and lock files."""
    try:
        names = subprocess.run(
            ["git", "ls-files"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    files = []
    for name in names:
        path = PROJECT_DIR / name
        if name.startswith("tests/") and not name.startswith("tests/dbt/"):
            continue
        if name.endswith((".lock", ".png", ".parquet")) or not path.is_file():
            continue
        files.append(path)
    return files


OUTSIDE = re.compile(r"\.\./shared|shared/domain|(?<![\w/])(?:RAW_CONTRACT|METRICS)\.md")


def test_nothing_shipped_points_outside_the_repository():
    offenders = []
    for path in shipped_text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                offenders.append(f"{path.relative_to(PROJECT_DIR)}:{number}: {line.strip()}")
    assert offenders == [], "\n".join(offenders)


def test_outside_pattern_catches_the_old_references():
    for line in ("see ../shared/domain/METRICS.md", "(RAW_CONTRACT.md)", "METRICS.md, hotspots"):
        assert OUTSIDE.search(line), line
    assert not OUTSIDE.search("see docs/metrics.md and docs/contract.md")


LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize(
    "page",
    [
        "README.md",
        "CONTRIBUTING.md",
        "reports/README.md",
        *sorted(str(p.relative_to(PROJECT_DIR)) for p in (PROJECT_DIR / "docs").glob("*.md")),
    ],
)
def test_relative_links_resolve(page: str):
    path = PROJECT_DIR / page
    broken = [
        target
        for target in LINK.findall(path.read_text())
        if "://" not in target
        and not target.startswith(("mailto:", "/"))  # "/hotspots": an Evidence route
        and not (path.parent / target).exists()
    ]
    assert broken == [], f"{page}: links to missing files {broken}"

"""Data Docs offline, in the release: the project's own quality page (quality/page.py) shows
every suite, expectation, rule, observed value and sample in headless Chromium with the
network cut off, and every published release carries it."""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from quality.page import write_page
from quality.suites import load_suites
from tests.reports.report_browser import FLAGS, chromium_binary, screenshot

CHROMIUM = chromium_binary()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium on PATH: run scripts/ensure_chromium.sh"
)
# no name resolves and every request goes to a closed port: nothing can load from outside
NO_NETWORK = ("--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9")

RAW = {
    "suites": [
        {
            "suite": "raw_crm__accounts",
            "relation": "raw_crm.accounts",
            "rows": 20,
            "expectations": [
                {
                    "expectation": "expect_table_row_count_to_be_between",
                    "column": None,
                    "severity": "error",
                    "success": True,
                    "unexpected_count": None,
                    "sample": [],
                    "observed": 20,
                    "threshold": "at least 1",
                    "blocking": True,
                    "notes": "The table is not empty.",
                },
                {
                    "expectation": "expect_column_values_to_not_be_null",
                    "column": "account_id",
                    "severity": "error",
                    "success": False,
                    "unexpected_count": 1,
                    "sample": [None],
                    "observed": None,
                    "threshold": "not null, bad on at most 2 % of rows",
                    "blocking": False,
                    "bad_rows": 1,
                    "min_bad_rows": 10,
                    "notes": "Key account_id present.",
                },
                {
                    "expectation": "expect_column_values_to_be_in_set",
                    "column": "created_at_is_parseable",
                    "severity": "error",
                    "success": False,
                    "unexpected_count": 14,
                    "sample": ["31/02/2024", "yesterday <b>"],
                    "observed": None,
                    "threshold": "in {True}, bad on at most 2 % of rows",
                    "blocking": True,
                    "notes": "created_at parses.",
                },
            ],
        }
    ]
}
MARTS = {
    "suites": [
        {
            "suite": "metrics__headline",
            "relation": "metrics.headline",
            "rows": 1,
            "expectations": [
                {"expectation": "expect_column_values_to_be_between", "column": "nps",
                 "severity": "warning", "success": False, "unexpected_count": 1,
                 "sample": [-41.5], "observed": 0.77, "threshold": "between -10 and 10",
                 "notes": "NPS does not jump."},
            ],
        }
    ]
}  # fmt: skip


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value and re.match(r"(https?:)?//", value):
                self.external.append(value)

    def handle_data(self, data):
        self.parts.append(data)


def rendered_text(page: Path) -> tuple[str, list[str]]:
    """The page's text as headless Chromium has it, with the network cut off."""
    with tempfile.TemporaryDirectory(prefix="cxw-chromium-") as profile:
        proc = subprocess.run(
            [CHROMIUM, *FLAGS, *NO_NETWORK, f"--user-data-dir={profile}",
             "--virtual-time-budget=3000", "--dump-dom", page.resolve().as_uri()],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert "<html" in proc.stdout, proc.stderr[-2000:]
    parser = _Text()
    parser.feed(proc.stdout)
    return " ".join(" ".join(parser.parts).split()), parser.external


@pytest.fixture
def page(tmp_path: Path) -> Path:
    run = tmp_path / "runs" / "r1"
    run.mkdir(parents=True)
    (run / "raw.json").write_text(json.dumps(RAW))
    (run / "marts.json").write_text(json.dumps(MARTS))
    return write_page(run, tmp_path / "data_docs" / "index.html", run_id="r1")


@pytest.mark.slow
@needs_chromium
def test_offline_page_shows_every_suite_expectation_observed_and_sample(page, tmp_path):
    text, external = rendered_text(page)
    assert external == []  # nothing to fetch
    for layer in (RAW, MARTS):
        for suite in layer["suites"]:
            assert suite["suite"] in text and suite["relation"] in text
            for e in suite["expectations"]:
                assert e["expectation"] in text
                assert e["threshold"] in text
                for value in e["sample"]:
                    assert repr(value) in text
    assert "0.77" in text  # an observed value
    assert "'yesterday <b>'" in text  # data stays text
    assert "failed (blocks publishing)" in text
    assert "warned (few bad rows, quarantined)" in text
    assert "Expectations: 1 passed 2 warned 1 failed" in text
    screenshot(page, tmp_path / "quality.png", CHROMIUM, height=1200)
    assert (tmp_path / "quality.png").stat().st_size > 10_000


def test_page_without_results_says_so(tmp_path: Path):
    out = write_page(tmp_path / "no-run", tmp_path / "index.html")
    assert "No checks have run yet." in out.read_text()


@pytest.mark.slow
def test_every_release_carries_the_page_of_its_run(demo_run, demo_settings):
    page = demo_settings.publish_dir / "current" / "data_docs" / "index.html"
    html = page.read_text(encoding="utf-8")
    missing = [s.name for layer in ("raw", "marts") for s in load_suites(layer)
               if f'id="{s.name}"' not in html]  # fmt: skip
    assert missing == []
    assert "http://" not in html and "https://" not in html
    latest = (demo_settings.quality_dir / "data_docs" / "index.html").read_text()
    assert all(f'id="{s.name}"' in latest for s in load_suites("marts"))

"""Headless Chromium for the report tests: load a page from file://, let its scripts run,
and return the DOM after them plus what the page wrote to the console.

Chromium runs with no network and no first-run work; `--virtual-time-budget` lets Plotly
draw before `--dump-dom` serialises the document. With `--enable-logging=stderr`, every
console message and uncaught exception of the page shows up on stderr as a `CONSOLE` line.
Install it with `scripts/ensure_chromium.sh` (Debian's `chromium` package).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
)
VIRTUAL_TIME_MS = 10000
_CONSOLE = re.compile(r":(?:INFO|WARNING|ERROR|FATAL):CONSOLE[^\]]*\]\s*(.*)$")


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(binary: str, args: list[str], timeout: int) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="cxw-chromium-") as profile:
        return subprocess.run(
            [binary, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


@dataclass
class LoadedPage:
    dom: str
    console: list[str]
    stderr: str


def load(page: Path, binary: str, timeout: int = 120) -> LoadedPage:
    """Open ``page`` and return the DOM after its scripts ran, and its console messages."""
    proc = _run(
        binary,
        [f"--virtual-time-budget={VIRTUAL_TIME_MS}", "--dump-dom", page.resolve().as_uri()],
        timeout,
    )
    if proc.returncode != 0 or "<html" not in proc.stdout:
        raise RuntimeError(f"chromium failed on {page} ({proc.returncode}):\n{proc.stderr[-3000:]}")
    console = [m.group(1) for m in map(_CONSOLE.search, proc.stderr.splitlines()) if m]
    return LoadedPage(proc.stdout, console, proc.stderr)


def screenshot(
    page: Path, png: Path, binary: str, width: int = 1280, height: int = 2000, timeout: int = 120
) -> None:
    proc = _run(
        binary,
        [
            f"--window-size={width},{height}",
            f"--virtual-time-budget={VIRTUAL_TIME_MS}",
            f"--screenshot={png}",
            page.resolve().as_uri(),
        ],
        timeout,
    )
    if proc.returncode != 0 or not png.exists():
        raise RuntimeError(f"chromium could not screenshot {page}:\n{proc.stderr[-3000:]}")


class ChartCensus(HTMLParser):
    """Counts, per Plotly chart of a rendered DOM, the traces and the marks they drew."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, dict[str, int]] = {}
        self._stack: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        chart = self._stack[-1] if self._stack else None
        if tag == "div" and "plotly-graph-div" in classes:
            chart = a.get("id") or f"chart-{len(self.charts)}"
            self.charts[chart] = {"traces": 0, "points": 0, "lines": 0}
        elif chart is not None:
            counts = self.charts[chart]
            if tag == "g" and "trace" in classes:
                counts["traces"] += 1
            if "point" in classes:  # a bar or a marker
                counts["points"] += 1
            drawn = len(re.findall(r"[ML]", a.get("d") or ""))
            if tag == "path" and "js-line" in classes and drawn >= 2:
                counts["lines"] += 1
        if tag not in _VOID:
            self._stack.append(chart)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self._stack:
            self._stack.pop()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self._stack:
            self._stack.pop()


# HTML's void elements; SVG elements are serialised with end tags.
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}  # fmt: skip


def chart_census(dom: str) -> dict[str, dict[str, int]]:
    parser = ChartCensus()
    parser.feed(dom)
    return parser.charts

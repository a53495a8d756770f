"""Evidence users can build the pages: in a copy of `reports/`, `npm install` resolves the
pinned versions and `npm run build` (Evidence's own build, SvelteKit prerender included)
finishes. Runs where Node and npm are installed; takes several minutes (about 3 for the
install and 5 for the build on two cores), so it is marked slow."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from report_site import PAGES_DIR

REPORTS_DIR = PAGES_DIR.parent
NPM = shutil.which("npm")
NODE = shutil.which("node")
OFFLINE = re.compile(r"ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH")


def test_package_json_pins_versions_that_resolve():
    package = json.loads((REPORTS_DIR / "package.json").read_text())
    versions = {**package["dependencies"], **package.get("devDependencies", {})}
    for name, version in versions.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned: {version}"
    # Evidence 40 wants TypeScript 5.4.2 as a peer: without the pin npm picks the newest
    # TypeScript and stops with ERESOLVE.
    assert int(versions["typescript"].split(".")[0]) < 6


def test_the_summary_link_cannot_stop_the_evidence_build():
    """The Overview links ../summary.html (next to reports/ in a release); svelte.config.js
    lets SvelteKit's prerender pass that one 404 and no other."""
    assert "](../summary.html)" in (PAGES_DIR / "index.md").read_text()
    config = (REPORTS_DIR / "svelte.config.js").read_text()
    assert "handleHttpError" in config and "/summary.html" in config
    assert "throw new Error(message)" in config


def test_node_modules_stay_out_of_git():
    ignored = (PAGES_DIR.parents[1] / ".gitignore").read_text().split()
    assert "node_modules/" in ignored and "reports/build/" in ignored


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        args,
        cwd=cwd,
        env={**os.environ, "CI": "1", "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.skipif(NPM is None or NODE is None, reason="Node and npm are not installed")
def test_npm_install_and_build(tmp_path: Path):
    project = tmp_path / "reports"
    shutil.copytree(
        REPORTS_DIR, project, ignore=shutil.ignore_patterns("node_modules", ".evidence", "build")
    )
    install = _run([str(NPM), "install", "--no-audit", "--no-fund"], project)
    if install.returncode != 0 and OFFLINE.search(install.stderr):
        pytest.skip(f"the npm registry is not reachable: {install.stderr.strip()[-300:]}")
    assert install.returncode == 0, install.stderr[-3000:]
    build = _run([str(NPM), "run", "build"], project)
    assert build.returncode == 0, (build.stdout + build.stderr)[-4000:]
    built = project / "build"
    assert (built / "index.html").exists()
    for page in PAGES_DIR.glob("*.md"):
        if page.stem != "index":
            assert list(built.glob(f"{page.stem}*")), f"Evidence did not build {page.stem}"

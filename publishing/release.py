"""Publishing: replace what readers see only in whole, atomic steps.

* The **serving database** (what BI tools and reports read) is rebuilt as a new file holding
  only the published schemas (marts, metrics, reference: no raw or staging data, so no PII),
  then moved over the old one with one `os.replace`. A reader that has the old file open keeps
  reading it; a reader that opens it afterwards sees the new one; nobody sees half of either.
* A **release** (headline snapshot, reports, check results) is written into a hidden folder
  under `<publish>/releases/`, renamed into place when complete, and the `<publish>/current`
  link is then switched to it atomically.

Everything is prepared first and committed last: if anything fails (or the process is killed)
before the commit, the previous serving database and release stay as they were, and the
leftovers of the attempt are removed by the next run.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from lib.faults import fault_point
from publishing.serving import PUBLISHED_SCHEMAS, copy_published_schemas

__all__ = ["PUBLISHED_SCHEMAS", "Publication", "clean_leftovers", "copy_published_schemas"]

KEEP_RELEASES = 5


def clean_leftovers(serving: Path, publish_dir: Path) -> None:
    """Remove what an interrupted publication left behind (temp files, partial releases)."""
    for leftover in serving.parent.glob(f".{serving.name}.*.tmp*"):
        leftover.unlink(missing_ok=True)
    releases = publish_dir / "releases"
    if releases.is_dir():
        for partial in releases.glob(".*.partial"):
            shutil.rmtree(partial, ignore_errors=True)
    for link in publish_dir.glob(".current.*.tmp"):
        link.unlink(missing_ok=True)


class Publication:
    """Prepare a new serving database and release, then commit both, or neither.

    ``with Publication(...) as pub:`` creates ``pub.serving_staged`` (the new serving database,
    complete) and ``pub.release_dir`` (an empty hidden folder to fill); ``pub.commit()`` swaps
    them in. Leaving the block without ``commit()`` removes both and changes nothing."""

    def __init__(self, working: Path, serving: Path, publish_dir: Path, run_id: str) -> None:
        self.working = working
        self.serving = serving
        self.publish_dir = publish_dir
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.name = f"{stamp}-{run_id[:8]}"
        self.serving_staged = serving.with_name(f".{serving.name}.{os.getpid()}.tmp")
        self.release_dir = publish_dir / "releases" / f".{self.name}.partial"
        self.final_release = publish_dir / "releases" / self.name
        self.counts: dict[str, int] = {}
        self.committed = False

    def __enter__(self) -> Publication:
        clean_leftovers(self.serving, self.publish_dir)
        self.serving.parent.mkdir(parents=True, exist_ok=True)
        self.counts = copy_published_schemas(self.working, self.serving_staged)
        self.release_dir.mkdir(parents=True)
        return self

    def commit(self) -> Path:
        fault_point("publish:before-serving-swap")
        os.replace(self.serving_staged, self.serving)
        fault_point("publish:before-release-switch")
        os.replace(self.release_dir, self.final_release)
        link = self.publish_dir / "current"
        tmp_link = self.publish_dir / f".current.{os.getpid()}.tmp"
        tmp_link.unlink(missing_ok=True)
        tmp_link.symlink_to(Path("releases") / self.name, target_is_directory=True)
        os.replace(tmp_link, link)
        self.committed = True
        self._prune()
        return self.final_release

    def _prune(self) -> None:
        releases = sorted(
            p for p in (self.publish_dir / "releases").iterdir() if not p.name.startswith(".")
        )
        for old in releases[:-KEEP_RELEASES]:
            if old != self.final_release:
                shutil.rmtree(old, ignore_errors=True)

    def __exit__(self, *exc_info) -> None:
        if not self.committed:
            self.serving_staged.unlink(missing_ok=True)
            shutil.rmtree(self.release_dir, ignore_errors=True)

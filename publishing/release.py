"""Publishing: replace what readers see only in whole, atomic steps.

A **release** (serving database, headline snapshot, summary, reports, check results) is
written into a hidden folder under `<publish>/releases/`, renamed into place when complete,
and the `<publish>/current` link is then switched to it with one atomic rename: that switch is
the one commit point. The **serving database** (what BI tools and reports read: only the
published schemas marts, metrics and reference, so no raw or staging data and no PII) is part
of the release, `releases/<name>/serving.duckdb`, and the documented path `serving.duckdb` is
a link to `published/current/serving.duckdb`: the database and the release switch together,
so any reader that opens either finds both from the same run. A reader that has the old
database open keeps reading it; one that opens it afterwards sees the new one; nobody sees
half of either.

Everything is prepared first and committed last: if anything fails (or the process is killed)
before the switch, the previous serving database and release stay as they were; the leftovers
of the attempt are removed at once on a failure, and by the next run's `recover` after a kill
(which also finishes a switch the kill interrupted: a serving path that is not yet the link, as
left by the layout before this one).
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from lib.atomic import replaced_atomically
from lib.faults import fault_point
from publishing.serving import PUBLISHED_SCHEMAS, copy_published_schemas

__all__ = ["PUBLISHED_SCHEMAS", "Publication", "clean_leftovers", "copy_published_schemas"]

KEEP_RELEASES = 5  # releases kept (reports, snapshot, summary)
KEEP_SERVING = 2  # of them, how many keep their serving database (current and previous)
SERVING_FILE = "serving.duckdb"  # the serving database's name inside a release


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


def _link_target(serving: Path, publish_dir: Path) -> str:
    """What the serving path links to: the current release's database, relative when it can
    be (so that a copied or moved data folder keeps working)."""
    target = publish_dir / "current" / SERVING_FILE
    try:
        return os.path.relpath(target, serving.parent)
    except ValueError:
        return str(target)


def _replace_with_link(path: Path, target: str) -> None:
    """Make ``path`` a symbolic link to ``target`` in one atomic rename."""
    with replaced_atomically(path, "link.tmp") as tmp:
        tmp.symlink_to(target)


def _migrate_serving_file(serving: Path, release: Path) -> None:
    """The layout before this one kept the serving database as a plain file beside a release
    without one: put that file into the release (a hard link, or a copy across disks) so that
    the serving path can become the link without a moment in which it shows other data."""
    with replaced_atomically(release / SERVING_FILE) as tmp:
        try:
            os.link(serving, tmp)
        except OSError:
            shutil.copyfile(serving, tmp)


def ensure_serving_link(serving: Path, publish_dir: Path) -> bool:
    """Make the serving path the link to the current release's database; True when it changed.

    Before the first release the link is made dangling (nothing is published yet, and the
    first switch of `current` makes it valid); a plain file left by the layout before this one
    is first put into the current release, so that the link shows the same data."""
    target = _link_target(serving, publish_dir)
    if serving.is_symlink() and os.readlink(serving) == target:
        return False
    current = publish_dir / "current"
    if current.is_dir():
        release = current.resolve()
        if not (release / SERVING_FILE).exists():
            if not serving.is_file():
                return False  # neither the release nor a plain file holds a serving database
            _migrate_serving_file(serving, release)
    elif serving.exists() and not serving.is_symlink():
        return False  # a plain file and no release: kept until a release replaces it
    fault_point("publish:before-serving-link")
    serving.parent.mkdir(parents=True, exist_ok=True)
    _replace_with_link(serving, target)
    return True


def recover(serving: Path, publish_dir: Path) -> None:
    """At the start of a run (holding the run lock): remove what a killed publication left and
    finish a switch it interrupted, before anything else reads or writes."""
    clean_leftovers(serving, publish_dir)
    ensure_serving_link(serving, publish_dir)


class Publication:
    """Prepare a new release with its serving database, then commit it, or nothing.

    ``with Publication(...) as pub:`` creates ``pub.release_dir`` (a hidden folder to fill)
    holding ``pub.serving_staged`` (the new serving database, complete); ``pub.commit()``
    switches readers to both at once. Leaving the block without ``commit()`` (or failing on
    the way in) removes the attempt and changes nothing."""

    def __init__(self, working: Path, serving: Path, publish_dir: Path, run_id: str) -> None:
        self.working = working
        self.serving = serving
        self.publish_dir = publish_dir
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.name = f"{stamp}-{run_id[:8]}"
        self.release_dir = publish_dir / "releases" / f".{self.name}.partial"
        self.serving_staged = self.release_dir / SERVING_FILE
        self.final_release = publish_dir / "releases" / self.name
        self.counts: dict[str, int] = {}
        self.committed = False

    def __enter__(self) -> Publication:
        recover(self.serving, self.publish_dir)
        try:
            self.release_dir.mkdir(parents=True)
            fault_point("publish:copy-serving", self.serving_staged)
            self.counts = copy_published_schemas(self.working, self.serving_staged)
        except BaseException:
            self._discard()
            raise
        return self

    def commit(self) -> Path:
        fault_point("publish:before-serving-swap")  # the new release is complete, not renamed
        os.replace(self.release_dir, self.final_release)
        ensure_serving_link(self.serving, self.publish_dir)  # already the link, but on a first run
        fault_point("publish:before-release-switch")
        link = self.publish_dir / "current"
        # the commit: the release and its serving database at once
        with replaced_atomically(link) as tmp_link:
            tmp_link.symlink_to(Path("releases") / self.name, target_is_directory=True)
        self.committed = True
        fault_point("publish:after-release-switch")
        ensure_serving_link(self.serving, self.publish_dir)
        self._prune()
        return self.final_release

    def _prune(self) -> None:
        releases = sorted(
            p for p in (self.publish_dir / "releases").iterdir() if not p.name.startswith(".")
        )
        current = (self.publish_dir / "current").resolve()
        kept = [p for p in releases if p in (current, self.final_release)]
        for old in releases[:-KEEP_RELEASES]:
            if old not in kept:
                shutil.rmtree(old, ignore_errors=True)
        # older releases keep their reports, not their (large) serving database; a reader that
        # still has one open keeps reading it until it closes it
        for old in releases[:-KEEP_SERVING]:
            if old not in kept and old.is_dir():
                (old / SERVING_FILE).unlink(missing_ok=True)

    def _discard(self) -> None:
        shutil.rmtree(self.release_dir, ignore_errors=True)
        if (
            self.final_release.exists()
            and (self.publish_dir / "current").resolve() != self.final_release.resolve()
        ):
            shutil.rmtree(self.final_release, ignore_errors=True)  # renamed, never switched to

    def __exit__(self, *exc_info) -> None:
        if not self.committed:
            self._discard()

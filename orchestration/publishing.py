"""Publishing: replace what readers see only in whole, atomic steps.

* The **serving database** (what BI tools and reports read) is rebuilt as a new file holding
  only the published schemas (marts, metrics, reference: no raw or staging data, so no PII),
  then moved over the old one with one `os.replace`. A reader that has the old file open keeps
  reading it; a reader that opens it afterwards sees the new one; nobody sees half of either.
* **Releases** (headline snapshot, reports, data docs) are written to a new folder under
  `<publish>/releases/`, then the `<publish>/current` link is switched atomically.

If anything fails before the switch, the previous serving database and release stay as they
were: the last good report is what readers keep seeing.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

PUBLISHED_SCHEMAS = ("marts", "metrics", "reference")
KEEP_RELEASES = 5


def build_serving_database(working: Path, serving: Path) -> dict[str, int]:
    """Copy the published schemas of ``working`` into a fresh file and swap it in atomically."""
    serving.parent.mkdir(parents=True, exist_ok=True)
    tmp = serving.with_name(f".{serving.name}.{os.getpid()}.tmp")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    counts: dict[str, int] = {}
    con = duckdb.connect(str(tmp))
    swapped = False
    try:
        con.execute(f"attach '{working}' as work (read_only)")
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = 'work' and schema_name in ("
            + ", ".join(f"'{s}'" for s in PUBLISHED_SCHEMAS)
            + ") order by 1, 2"
        ).fetchall()
        views = con.execute(
            "select schema_name, view_name from duckdb_views() "
            "where database_name = 'work' and not internal and schema_name in ("
            + ", ".join(f"'{s}'" for s in PUBLISHED_SCHEMAS)
            + ") order by 1, 2"
        ).fetchall()
        for schema, name in [*tables, *views]:
            con.execute(f'create schema if not exists "{schema}"')
            con.execute(
                f'create table "{schema}"."{name}" as select * from work."{schema}"."{name}"'
            )
            counts[f"{schema}.{name}"] = con.execute(
                f'select count(*) from "{schema}"."{name}"'
            ).fetchone()[0]
        con.execute("detach work")
        con.execute("checkpoint")
        con.close()
        os.replace(tmp, serving)
        swapped = True
    finally:
        con.close()
        if not swapped:
            tmp.unlink(missing_ok=True)
    return counts


def new_release_dir(publish_dir: Path, run_id: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    release = publish_dir / "releases" / f"{stamp}-{run_id[:8]}"
    release.mkdir(parents=True, exist_ok=False)
    return release


def current_release(publish_dir: Path) -> Path | None:
    link = publish_dir / "current"
    return link.resolve() if link.exists() else None


def switch_current(publish_dir: Path, release: Path) -> None:
    """Point `<publish>/current` at ``release`` in one atomic rename, then prune old releases."""
    link = publish_dir / "current"
    tmp = publish_dir / f".current.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(Path("releases") / release.name, target_is_directory=True)
    os.replace(tmp, link)
    releases = sorted((publish_dir / "releases").iterdir())
    for old in releases[:-KEEP_RELEASES]:
        if old != release:
            shutil.rmtree(old, ignore_errors=True)


def write_json(path: Path, payload: dict) -> None:
    path.write_text(json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n")

"""A full disk, in one line: where it filled, what is free there, about how much a run needs."""

from __future__ import annotations

import errno
import re
import shutil
from pathlib import Path

DISK_FULL_ERRNOS = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
DISK_FULL_TEXT = (
    "No space left on device",
    "File too large",
    "Disk quota exceeded",
    "database or disk is full",  # SQLite (the Dagster instance's run history)
    "not enough space",
)
# SQLite reports a write that failed for want of space as a plain "disk I/O error"
SQLITE_IO_ERROR = "disk I/O error"
MARGIN = 64 << 20  # logs, run history, check results, temp files


def is_disk_full(error: BaseException | str) -> bool:
    if isinstance(error, OSError) and error.errno in DISK_FULL_ERRNOS:
        return True
    return any(marker in str(error) for marker in DISK_FULL_TEXT)


def written_path(text: str) -> str | None:
    """The file an error message names (`... "/data/warehouse.duckdb.wal": No space ...`)."""
    match = re.search(r"""['"](/[^'"]+)['"]""", text)
    return match.group(1) if match else None


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    return 0


def _existing(path: Path) -> Path:
    path = Path(path)
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def free_bytes(path: Path) -> int:
    return shutil.disk_usage(_existing(path)).free


def space_needed(database: Path, serving: Path, publish_dir: Path, landing: Path) -> int:
    """About how much free space a run needs beside what it keeps: the working database
    rebuilt (new blocks are written before old ones are freed: its size again), a new serving
    database and a new release beside the current ones, and a margin (run history, logs,
    check results). Without an earlier run the sizes are scaled from the landing files, as
    measured on the demo (3 MB of CSV: a 25 MB working database, a 13 MB serving database,
    20 MB of reports)."""
    landing_size = _size(landing)
    working = _size(database) + _size(Path(f"{database}.wal")) or 8 * landing_size
    serving_size = _size(serving.resolve()) if serving.exists() else 4 * landing_size
    current = publish_dir / "current"
    release = _size(current.resolve()) if current.exists() else 0
    release = max(release - serving_size, 20 << 20)  # reports, snapshot, summary
    return working + serving_size + release + MARGIN


def megabytes(n: int) -> str:
    return f"{n / (1 << 20):,.0f} MB" if n >= (1 << 20) else f"{n / 1024:,.0f} kB"


def disk_full_message(
    where: str | Path | None,
    doing: str,
    *,
    data_dir: Path,
    needed: int | None = None,
) -> str:
    """``where``: the file being written (or None: the data folder); ``doing``: the stage."""
    place = Path(where) if where else Path(data_dir)
    free = megabytes(free_bytes(place))
    what = (
        f"writing {place} failed, {free} free on its disk"
        if where
        else (f"{free} free on the disk of {place}")
    )
    need = (
        f"; a run of this data needs about {megabytes(needed)} free there"
        if needed is not None
        else ""
    )
    return (
        f"disk full while {doing}: {what}{need}: free some space (or point CXW_DATA_DIR at a "
        "bigger disk), then run again; the last good release and serving database are unchanged"
    )

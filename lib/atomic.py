"""Replace a file in one step: write a hidden sibling, then rename it over the file.

A reader sees the old file or the new one, never half of one; when the writing fails (a full
disk, an exception) the old file stays and the sibling is removed. Used for the published
snapshot, the staging-inputs record and the release links."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replaced_atomically(path: Path, suffix: str = "tmp") -> Iterator[Path]:
    """Yield a hidden sibling of ``path`` (``.<name>.<pid>.<suffix>``) to write, then rename it
    over ``path``. On an exception the sibling is removed and the exception goes on."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{suffix}")
    tmp.unlink(missing_ok=True)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise

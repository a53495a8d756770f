"""A testing hook: pause, or fail as on a full disk, at a named point of a run.

Set ``CXW_FAULT_PAUSE`` to a point's name (``build:after-raw-load``,
``publish:before-serving-swap`` ...) to pause there so that a test can kill the process;
``CXW_FAULT_MARKER`` names a file written when the point is reached, ``CXW_FAULT_SECONDS`` how
long to pause. Set ``CXW_FAULT_ENOSPC`` to a point's name to raise there the error a write on a
full disk raises (``OSError`` ENOSPC, naming the file being written when the point says).
Unset, every point is a no-op.
"""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

FAULT_ENV = "CXW_FAULT_PAUSE"
ENOSPC_ENV = "CXW_FAULT_ENOSPC"


def fault_point(name: str, path: Path | str | None = None) -> None:
    """Pause here (for a kill test) when CXW_FAULT_PAUSE names this point, or fail as a full
    disk would when CXW_FAULT_ENOSPC does; no-op otherwise. ``path``: what is written here."""
    if os.environ.get(ENOSPC_ENV) == name:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path) if path else None)
    if os.environ.get(FAULT_ENV) != name:
        return
    marker = os.environ.get("CXW_FAULT_MARKER")
    if marker:
        Path(marker).write_text(f"{os.getpid()} {name}\n")
    time.sleep(float(os.environ.get("CXW_FAULT_SECONDS", "120")))

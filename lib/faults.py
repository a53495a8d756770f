"""A testing hook: pause at a named point of a run so that a test can kill the process there.

Set ``CXW_FAULT_PAUSE`` to a point's name (``build:after-raw-load``,
``publish:before-serving-swap`` ...); ``CXW_FAULT_MARKER`` names a file written when the point
is reached, ``CXW_FAULT_SECONDS`` how long to pause. Unset, every point is a no-op.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

FAULT_ENV = "CXW_FAULT_PAUSE"


def fault_point(name: str) -> None:
    """Pause here (for a kill test) when CXW_FAULT_PAUSE names this point; no-op otherwise."""
    if os.environ.get(FAULT_ENV) != name:
        return
    marker = os.environ.get("CXW_FAULT_MARKER")
    if marker:
        Path(marker).write_text(f"{os.getpid()} {name}\n")
    time.sleep(float(os.environ.get("CXW_FAULT_SECONDS", "120")))

"""Progress lines of the `cxw` commands."""

from __future__ import annotations

import sys
import time


class Progress:
    """Prints timestamped progress lines to stderr, so stdout stays for the summary."""

    def __init__(self, quiet: bool = False) -> None:
        self.started = time.perf_counter()
        self.quiet = quiet

    def __call__(self, message: str) -> None:
        if not self.quiet:
            elapsed = time.perf_counter() - self.started
            print(f"[{elapsed:6.1f}s] {message}", file=sys.stderr, flush=True)

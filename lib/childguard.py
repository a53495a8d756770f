"""Start dbt (or any program) so that it dies with the process that started it.

`lib/bin/dbt` runs ``python lib/childguard.py <parent pid> <args>``: on Linux this asks the
kernel to SIGKILL the process when its parent ends (``PR_SET_PDEATHSIG``, kept across
``exec``), checks that the parent has not already ended, then replaces itself with the real
dbt of this environment. Without it a ``kill -9`` of ``cxw run`` left its ``dbt build``
running for most of a minute, holding the working database's lock, so that a re-run failed.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from pathlib import Path

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> bool:
    """Tie this process to ``parent``; False when the parent is gone already."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return True  # not permitted here: run unguarded rather than not at all
    return os.getppid() == parent


def main(argv: list[str]) -> int:
    parent, args = int(argv[0]), argv[1:]
    if not die_with_parent(parent):
        return 137  # the process that wanted dbt is gone: start nothing
    name = os.environ.get("CXW_GUARDED_PROGRAM", "dbt")  # another program: for the tests
    program = Path(name) if os.path.isabs(name) else Path(sys.executable).with_name(name)
    os.execv(program, [str(program), *args])
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""`cxw test`: the whole test suite (scripts/test.sh)."""

from __future__ import annotations

import argparse
import os

from cli.progress import Progress
from lib.settings import PROJECT_DIR, Settings


def cmd_test(args: argparse.Namespace, settings: Settings, say: Progress) -> int:
    script = PROJECT_DIR / "scripts" / "test.sh"
    pytest_args = [a for a in args.pytest_args if a != "--"]
    os.chdir(PROJECT_DIR)
    os.execvp("bash", ["bash", str(script), *pytest_args])
    return 0  # not reached

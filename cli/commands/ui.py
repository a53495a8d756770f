"""`cxw ui`: the Dagster UI."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cli.progress import Progress
from lib.settings import PROJECT_DIR, Settings


def cmd_ui(args: argparse.Namespace, settings: Settings, say: Progress) -> int:
    from lib.dagster_home import ensure_dagster_home
    from lib.errors import check_port_free
    from orchestration.project import ensure_manifest

    check_port_free(args.port)
    ensure_dagster_home(settings.dagster_home)
    ensure_manifest(progress=say)
    print(f"Dagster UI: http://127.0.0.1:{args.port} (Ctrl-C stops it)")
    dagster = Path(sys.executable).with_name("dagster")
    os.chdir(PROJECT_DIR)
    os.execv(
        str(dagster),
        [
            str(dagster),
            "dev",
            "-h",
            "127.0.0.1",
            "-p",
            str(args.port),
            "-m",
            "orchestration.definitions",
        ],
    )
    return 0  # not reached

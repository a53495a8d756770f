"""The `cxw` subcommands, one module each: `cxw <command>` runs `cli/commands/<command>.py`.

Each handler takes the parsed arguments, the settings and the progress printer, and returns
the exit code; heavy imports happen inside the handlers, so `cxw --help` stays fast.
"""

from __future__ import annotations

from cli.commands.build import cmd_build
from cli.commands.generate import cmd_generate
from cli.commands.load import cmd_load
from cli.commands.mf import cmd_mf
from cli.commands.run import cmd_run
from cli.commands.test import cmd_test
from cli.commands.ui import cmd_ui

COMMANDS = {
    "run": cmd_run,
    "generate": cmd_generate,
    "load": cmd_load,
    "build": cmd_build,
    "mf": cmd_mf,
    "ui": cmd_ui,
    "test": cmd_test,
}

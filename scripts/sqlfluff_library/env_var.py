"""dbt's `env_var(name, default)` for sqlfluff's jinja templater (callable module, as
var.py): returns the default, never the environment, so that lint results do not depend on
the shell; without a default, the placeholder 'item' (dbt would stop)."""

from __future__ import annotations

import sys
import types
from typing import Any

PLACEHOLDER = "item"


class _EnvVarModule(types.ModuleType):
    def __call__(self, name: str, default: Any = PLACEHOLDER) -> Any:
        return default


sys.modules[__name__].__class__ = _EnvVarModule

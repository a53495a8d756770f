"""dbt's `var()` for sqlfluff's jinja templater. sqlfluff's dbt builtin renders every var as
the placeholder string 'item', on which macros that read a list or a mapping (the vendor
adapters' `<vendor>_connectors`, `vendor_extra_columns` ...) fail. This `var(name, default)`
returns, like dbt:
- the value set for `name` in [tool.sqlfluff.templater.jinja.context] (pyproject.toml), where
  the project's linting values of dbt_project.yml's vars are written;
- else the call's default (`var('zendesk_database', none)` gives none);
- else the builtin's placeholder, so that a var without a linting value still templates.

sqlfluff puts each module of this library into the template context under its name, so the
module itself must be callable: its class is swapped for one with `__call__`."""

from __future__ import annotations

import sys
import types
from typing import Any

import jinja2

_NO_DEFAULT = object()
PLACEHOLDER = "item"


class _VarModule(types.ModuleType):
    # the template's context is passed first, as to a `@jinja2.pass_context` function
    jinja_pass_arg = jinja2.pass_context(lambda: None).jinja_pass_arg

    def __call__(
        self, context: jinja2.runtime.Context, name: str, default: Any = _NO_DEFAULT
    ) -> Any:
        value = context.get(str(name), _NO_DEFAULT)
        if value is not _NO_DEFAULT and not isinstance(value, types.ModuleType):
            return value
        if default is not _NO_DEFAULT:
            return default
        return PLACEHOLDER


sys.modules[__name__].__class__ = _VarModule

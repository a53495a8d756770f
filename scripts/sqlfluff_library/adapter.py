"""dbt's `adapter` for sqlfluff's jinja templater: `adapter.dispatch` finds the project's
`duckdb__<macro>` implementation, else `default__<macro>`, among the macros sqlfluff loaded
from macros/ (see [tool.sqlfluff] in pyproject.toml)."""

from __future__ import annotations

from typing import Any

import jinja2


@jinja2.pass_context
def dispatch(context: jinja2.runtime.Context, macro_name: str, macro_namespace: str = "") -> Any:
    for prefix in ("duckdb__", "default__"):
        macro = context.get(prefix + macro_name)
        if macro is not None:
            return macro
    raise jinja2.UndefinedError(f"no duckdb__ or default__ implementation of {macro_name}")


def convert_type(table: Any, column_index: int) -> str:
    return "varchar"


def add_query(*args: Any, **kwargs: Any) -> None:
    return None


def quote(identifier: str) -> str:
    return f'"{identifier}"'

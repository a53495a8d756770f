"""The project's macro namespace (`cx_warehouse.<macro>()`) for sqlfluff's jinja templater:
`cx_warehouse.x(...)` calls the macro `x` that sqlfluff loaded from macros/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2


def __getattr__(macro_name: str) -> Callable[..., Any]:
    @jinja2.pass_context
    def call(context: jinja2.runtime.Context, *args: Any, **kwargs: Any) -> Any:
        return context[macro_name](*args, **kwargs)

    return call

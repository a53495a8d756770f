"""Turn the failures a user can cause into one line that says what to do."""

from __future__ import annotations

import errno


class UserError(Exception):
    """An error whose message already says what happened and what to do."""


def describe(exc: BaseException) -> str:
    from orchestration.landing import LandingError

    if isinstance(exc, (UserError, LandingError)):
        return str(exc)
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return f"disk full while writing {exc.filename or ''}: free some space and run again"
    if isinstance(exc, PermissionError):
        return f"permission denied on {exc.filename}: check the folder's owner and rights"
    text = str(exc)
    if "Could not set lock on file" in text or "Conflicting lock" in text:
        return (
            "the working database is open in another program (a BI tool or a second cxw run): "
            f"close it and run again ({text.splitlines()[0]})"
        )
    return (
        f"{type(exc).__name__}: {text.splitlines()[0] if text else ''} "
        "(set CXW_DEBUG=1 for the full traceback)"
    )

"""Turn the failures a user can cause into one line that says what to do."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import socket


class UserError(Exception):
    """An error whose message already says what happened and what to do (the loaders'
    ``ingest.errors.LandingError`` is one)."""


def describe(exc: BaseException) -> str:
    if isinstance(exc, UserError):
        return str(exc)  # at once: a run refused by the run lock must say so within a second
    from lib.diskspace import free_bytes, is_disk_full, megabytes, written_path

    text = str(exc)
    if is_disk_full(exc):
        where = getattr(exc, "filename", None) or written_path(text)
        free = ""
        if where:
            with contextlib.suppress(OSError):
                free = f" ({megabytes(free_bytes(where))} free on its disk)"
        too_large = getattr(exc, "errno", None) == errno.EFBIG or "File too large" in text
        limit = " (or file size limit reached)" if too_large else ""
        return (
            f"disk full{limit} while writing {where or 'the data folder'}{free}: free some "
            "space or point CXW_DATA_DIR at a bigger disk, then run again"
        )
    if isinstance(exc, PermissionError):
        return f"permission denied on {exc.filename}: check the folder's owner and rights"
    if "Could not set lock on file" in text or "Conflicting lock" in text:
        return (
            "the working database is open in another program (a BI tool or a second cxw run): "
            "close it, or point BI tools at the serving database, and run again"
        )
    return (
        f"{type(exc).__name__}: {text.splitlines()[0] if text else ''} "
        "(set CXW_DEBUG=1 for the full traceback)"
    )


def check_target(target: str) -> None:
    """Fail early, with what to do, when the engine of a dbt target cannot be reached."""
    if target == "postgres":
        host = os.environ.get("CXW_PG_HOST", "127.0.0.1")
        port = int(os.environ.get("CXW_PG_PORT", "5432"))
        try:
            with socket.create_connection((host, port), timeout=3):
                pass
        except OSError as exc:
            raise UserError(
                f"cannot reach PostgreSQL at {host}:{port} for the postgres target ({exc}): "
                "start the server or set CXW_PG_HOST / CXW_PG_PORT"
            ) from exc
    elif target == "spark" and os.environ.get("CXW_SPARK_METHOD", "session") == "session":
        java_home = os.environ.get("JAVA_HOME")
        if not (java_home and os.path.exists(os.path.join(java_home, "bin", "java"))) and not (
            shutil.which("java")
        ):
            raise UserError(
                "the spark target needs Java 17 (none on PATH or in JAVA_HOME): install a JDK "
                "(Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME"
            )
        try:
            import pyspark  # noqa: F401
        except ImportError as exc:
            raise UserError(
                "the spark target needs pyspark: run ./cxw (it installs the spark extra)"
            ) from exc
    elif target not in ("duckdb", "serving"):
        raise UserError(
            f"unknown dbt target {target!r}: set DBT_TARGET to duckdb, postgres or spark"
        )


def check_port_free(port: int, host: str = "127.0.0.1") -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise UserError(
                f"port {port} on {host} is in use ({exc.strerror}): stop what uses it or "
                f"choose another port with --port"
            ) from exc

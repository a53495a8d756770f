"""Timestamps: one canonical text for typed timestamps, one rule for "parseable timestamp".

Raw tables keep every value as text. A Parquet (Arrow) timestamp column, of any unit (s, ms,
us, ns) and with or without a time zone, is written as ISO 8601 text with exactly six fraction
digits: ``2026-01-01T06:48:44.123456`` when it has no zone (staging takes it as UTC), or the
same instant in UTC with ``Z`` when it has one (``...T06:48:44.123456Z``). Finer units are
floored to the microsecond, the precision of every engine's timestamp, so a nanosecond
timestamp is never refused for its nine fraction digits.

Which text is a timestamp is decided once, by the regular expression of the dbt macro
``macros/iso_timestamp_pattern.sql`` (ISO 8601, up to six fraction digits). Staging gates
``try_cast_timestamp`` on it on every engine; the DuckDB loader creates the SQL macro
``raw_meta.is_timestamp(value)`` from the same pattern and the same cast, and the raw Great
Expectations suites call it, so the raw gate and staging cannot disagree on a value.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

import duckdb

from lib.settings import PROJECT_DIR

if TYPE_CHECKING:
    import pyarrow as pa

PATTERN_MACRO = PROJECT_DIR / "macros" / "iso_timestamp_pattern.sql"
RULE_FUNCTION = "raw_meta.is_timestamp"


@cache
def iso_timestamp_pattern() -> str:
    """The anchored regular expression of ``macros/iso_timestamp_pattern.sql``."""
    text = PATTERN_MACRO.read_text(encoding="utf-8")
    match = re.search(
        r"\{%-?\s*macro\s+iso_timestamp_pattern\(\)\s*-?%\}(.*?)\{%-?\s*endmacro", text, re.S
    )
    if not match or not match.group(1).strip():
        raise RuntimeError(f"{PATTERN_MACRO}: no iso_timestamp_pattern() macro body found")
    pattern = match.group(1).strip()
    if "'" in pattern or "\\" in pattern:
        raise RuntimeError(f"{PATTERN_MACRO}: the pattern must hold no quote or backslash")
    return pattern


def timestamp_text(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """An Arrow timestamp column as canonical ISO 8601 text (see the module docstring)."""
    import pyarrow as pa  # here: the DuckDB loader's fast path needs no pyarrow
    import pyarrow.compute as pc

    unit, tz = column.type.unit, column.type.tz
    if unit == "ns":
        column = pc.floor_temporal(column, unit="microsecond")
    column = column.cast(pa.timestamp("us", tz="UTC" if tz else None))
    return pc.strftime(column, format="%Y-%m-%dT%H:%M:%SZ" if tz else "%Y-%m-%dT%H:%M:%S")


def create_timestamp_rule(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) the SQL macro ``raw_meta.is_timestamp(value)`` in a DuckDB
    database: true when the text, trimmed, matches the pattern and names a real instant
    (not February 30), false otherwise (NULL included). Staging's ``try_cast_timestamp``
    gives a timestamp for exactly these values."""
    con.execute("create schema if not exists raw_meta")
    con.execute(
        f"""create or replace macro {RULE_FUNCTION}(value) as coalesce(
            regexp_full_match(trim(value), '{iso_timestamp_pattern()}')
            and try_cast(trim(value) as timestamptz) is not null,
            false
        )"""
    )

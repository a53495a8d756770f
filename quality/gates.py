"""What a failed expectation means: its threshold in words, the offending source values, and
whether it blocks.

**Small data.** A share threshold (`mostly: 0.98`, or a proportion of unique keys of at least
0.98) alone would block a 20-row export with one bad row (5 %). So an error-severity
expectation with a share threshold blocks only when the share is over its threshold AND the
bad rows number more than ``min_bad_rows``: suite ``meta.min_bad_rows`` (default
``DEFAULT_MIN_BAD_ROWS[layer]``: 10 for raw tables, 0 elsewhere), or the expectation's own
``meta.min_bad_rows``. Below it the bad rows are quarantined by staging as usual and the
check warns instead of failing. Expectations without a share threshold (row counts, jump
bands, plain sets) block on any failure.

**Samples** are values as delivered: an expectation on a derived column (a query's
`created_at_is_parseable`) names its source column in ``meta.sample_column`` (selected by the
suite's query too), and its sample shows that column's offending values (`'31/02/2024'`), not
the derived `False`. Duplicate keys show the repeated keys.
"""

from __future__ import annotations

from typing import Any

DEFAULT_MIN_BAD_ROWS = {"raw": 10}
SHARE_EXPECTATIONS = {"expect_column_proportion_of_unique_values_to_be_between"}


def resolve(value: Any, parameters: dict[str, Any]) -> Any:
    """A kwarg's value in this run (``{"$PARAMETER": name}`` placeholders resolved)."""
    if isinstance(value, dict) and "$PARAMETER" in value:
        return parameters.get(value["$PARAMETER"])
    return value


def _number(value: Any) -> str:
    if isinstance(value, float):
        if value in (float("inf"), float("-inf")):
            return str(value)
        return f"{value:.4g}"
    return str(value)


def _bounds(kwargs: dict, parameters: dict) -> str:
    low = resolve(kwargs.get("min_value"), parameters)
    high = resolve(kwargs.get("max_value"), parameters)
    finite = [v is not None and v not in (float("inf"), float("-inf")) for v in (low, high)]
    if all(finite):
        return f"between {_number(low)} and {_number(high)}"
    if finite[0]:
        return f"at least {_number(low)}"
    if finite[1]:
        return f"at most {_number(high)}"
    return ""


def threshold(kind: str, kwargs: dict, parameters: dict) -> str:
    """The rule in words: 'at most 2 % of rows', 'at least 0.98', 'between 0 and 10' ..."""
    parts = []
    if kind == "expect_column_values_to_be_in_set":
        value_set = list(kwargs.get("value_set") or [])
        values = ", ".join(repr(v) for v in value_set[:8]) + (", ..." if len(value_set) > 8 else "")
        parts.append(f"in {{{values}}}" if value_set else "no value (an empty set)")
    elif kind == "expect_column_values_to_be_between":
        bounds = _bounds(kwargs, parameters)
        if bounds:
            parts.append(bounds)
    elif kind == "expect_column_values_to_not_be_null":
        parts.append("not null")
    mostly = kwargs.get("mostly")
    if mostly is not None and mostly < 1:
        parts.append(f"bad on at most {_number(round((1 - mostly) * 100, 6))} % of rows")
    elif kind not in (
        "expect_column_values_to_be_in_set",
        "expect_column_values_to_be_between",
        "expect_column_values_to_not_be_null",
    ):
        bounds = _bounds(kwargs, parameters)
        if bounds:
            parts.append(bounds)
    return ", ".join(parts)


def is_share_threshold(kind: str, kwargs: dict) -> bool:
    mostly = kwargs.get("mostly")
    return kind in SHARE_EXPECTATIONS or (mostly is not None and mostly < 1)


def duplicate_rows(frame, column: str) -> int:
    """Rows that repeat a key already seen (non-null values only)."""
    if column not in frame.columns:
        return 0
    values = frame[column].dropna()
    return int(len(values) - values.nunique())


def source_sample(frame, indexes: list, column: str, size: int) -> list:
    """The offending rows' values of ``column``, as delivered (by the frame's index)."""
    if column not in frame.columns or not indexes:
        return []
    rows = [i for i in indexes if i in frame.index][:size]
    return frame.loc[rows, column].tolist()


def duplicate_sample(frame, column: str, size: int) -> list:
    if column not in frame.columns:
        return []
    values = frame[column].dropna()
    return values[values.duplicated()].drop_duplicates().head(size).tolist()

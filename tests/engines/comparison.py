"""How one engine's build is held to DuckDB's: the relations read back as comparable Python
values, then compared.

Every relation of the compared schemas: the same names, the same columns, the same row count
and the same rows, order-independently. Text, booleans, integers, dates and timestamps
exactly (timestamps as naive UTC); numbers (decimals, doubles) within REL_TOL relative
(summation order differs between engines). Left out: NOT_COMPARED_COLUMNS (the raw lineage
column ``_loaded_at``, the wall-clock time of each engine's load, and the staging lineage
column ``_staged_at``, when each engine's build staged the row).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

# each engine's own load and build time
NOT_COMPARED_COLUMNS = frozenset({"_loaded_at", "_staged_at"})
REL_TOL = 1e-9

Row = tuple[Any, ...]


@dataclass
class Build:
    """One engine's build: every compared relation's columns and rows, its headline files."""

    engine: str
    columns: dict[str, list[str]] = field(default_factory=dict)  # "schema.name" -> columns
    rows: dict[str, list[Row]] = field(default_factory=dict)
    snapshot: dict[str, str] = field(default_factory=dict)  # file name -> text
    raw_rows: dict[str, int] = field(default_factory=dict)  # loaded, by system.table
    seconds: dict[str, float] = field(default_factory=dict)
    runtime: dict[str, Any] = field(default_factory=dict)  # where it ran (Spark: master...)


# ------------------------------------------------------------------------------ reading
def normalise(value: Any) -> Any:
    """A database value as a comparable Python value: decimals as float, timestamps as
    naive UTC."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal | float):
        return float(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value
    if isinstance(value, date | int | str):
        return value
    return str(value)


def _keep(columns: list[str]) -> list[int]:
    return [i for i, c in enumerate(columns) if c.lower() not in NOT_COMPARED_COLUMNS]


def read_relations(
    build: Build, relations: list[str], fetch: Callable[[str], tuple[list[str], list[tuple]]]
) -> None:
    """Fill ``build`` with the columns and rows of ``relations`` (``schema.name``)."""
    for relation in relations:
        columns, records = fetch(f"select * from {relation}")
        keep = _keep(columns)
        build.columns[relation] = [columns[i].lower() for i in keep]
        build.rows[relation] = [tuple(normalise(r[i]) for i in keep) for r in records]


# ------------------------------------------------------------------------------ comparing
def _same(a: Any, b: Any) -> bool:
    numbers = (int, float)
    if (
        isinstance(a, numbers)
        and isinstance(b, numbers)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    ):
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            return True
        return math.isclose(a, b, rel_tol=REL_TOL)
    return type(a) is type(b) and a == b


def _group_key(row: Row) -> tuple:
    """The exact part of a row (everything but floats), sortable whatever the types."""
    return tuple(
        (0, "") if v is None else (1, type(v).__name__, v) for v in row if not isinstance(v, float)
    )


def _float_key(row: Row) -> tuple:
    return tuple(v for v in row if isinstance(v, float))


def compare_rows(relation: str, columns: list[str], have: list[Row], want: list[Row]) -> list[str]:
    """Rows matched order-independently: grouped by their exact values, then paired within
    a group in order of their floats; each pair compared column by column."""
    if len(have) != len(want):
        return [f"{relation}: {len(have)} rows, {len(want)} on duckdb"]

    def grouped(rows: list[Row]) -> dict[tuple, list[Row]]:
        groups: dict[tuple, list[Row]] = defaultdict(list)
        for row in rows:
            groups[_group_key(row)].append(row)
        return {k: sorted(v, key=_float_key) for k, v in groups.items()}

    problems: list[str] = []
    have_groups, want_groups = grouped(have), grouped(want)
    unmatched_have = [r for k, rows in have_groups.items() if k not in want_groups for r in rows]
    unmatched_want = [r for k, rows in want_groups.items() if k not in have_groups for r in rows]
    for key in have_groups.keys() & want_groups.keys():
        h, w = have_groups[key], want_groups[key]
        if len(h) != len(w):
            unmatched_have += h
            unmatched_want += w
            continue
        for hr, wr in zip(h, w, strict=True):
            for column, hv, wv in zip(columns, hr, wr, strict=True):
                if not _same(hv, wv):
                    row = dict(zip(columns, wr, strict=True))
                    problems.append(f"{relation} {row}: {column} = {hv!r}")
    for label, rows in (("only here", unmatched_have), ("only on duckdb", unmatched_want)):
        problems += [
            f"{relation} row {label}: {dict(zip(columns, r, strict=True))}" for r in rows[:5]
        ]
        if len(rows) > 5:
            problems.append(f"{relation}: {len(rows) - 5} more rows {label}")
    return problems


def _column_types(rows: list[Row]) -> list[str]:
    """The Python types of each column's non-NULL values (a number read as int on one
    engine and as float on another is a type difference, reported as such)."""
    if not rows:
        return []
    return [
        "/".join(sorted({type(v).__name__ for v in column if v is not None}))
        for column in zip(*rows, strict=True)
    ]


def compare(build: Build, reference: Build) -> list[str]:
    """Every difference between ``build`` and the DuckDB reference, as readable lines."""
    problems: list[str] = []
    missing = sorted(reference.rows.keys() - build.rows.keys())
    extra = sorted(build.rows.keys() - reference.rows.keys())
    if missing or extra:
        problems.append(f"relations missing: {missing}; relations only here: {extra}")
    for relation in sorted(reference.rows.keys() & build.rows.keys()):
        columns, want_columns = build.columns[relation], reference.columns[relation]
        if columns != want_columns:
            problems.append(f"{relation}: columns {columns}, on duckdb {want_columns}")
            continue
        have, want = build.rows[relation], reference.rows[relation]
        if len(have) != len(want):
            problems.append(f"{relation}: {len(have)} rows, {len(want)} on duckdb")
            continue
        have_types, want_types = _column_types(have), _column_types(want)
        if have_types != want_types:
            problems += [
                f"{relation}.{column}: values of type {h or '-'}, on duckdb {w or '-'}"
                for column, h, w in zip(columns, have_types, want_types, strict=True)
                if h != w
            ]
            continue
        problems += compare_rows(relation, columns, have, want)
    return problems


def report(engine: str, problems: list[str], limit: int = 60) -> str:
    shown = problems[:limit]
    more = f"\n... and {len(problems) - limit} more" if len(problems) > limit else ""
    heading = f"{engine} differs from duckdb ({len(problems)} differences):\n"
    return heading + "\n".join(shown) + more

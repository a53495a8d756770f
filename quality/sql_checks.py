"""The raw suites checked in SQL: the figures Great Expectations reports, computed by DuckDB.

Raw tables are the largest of the warehouse (millions of ticket events); reading them whole
into pandas frames for GX (quality/suites.py) alone would break the memory budget. So the raw
layer's suites are translated to SQL over the suite's ``meta.query``:

* **one aggregate query a suite** (one scan of the relation) computes every expectation's
  figures together: the row count, each expectation's rows considered, missing values and
  unexpected values, the distinct count of a key;
* **a small sample query** for an expectation that found bad rows, and only then, fetches up
  to ``SAMPLE_SIZE`` offending values (the first ones, source values of
  ``meta.sample_column``; for uniqueness the smallest repeated keys: the same as GX's when
  they are few). Good data costs one scan a suite.

Success is decided as GX decides it (`_mostly_success`: rows considered, nulls left out but
for `not_null`, vacuously true on no rows; inclusive bounds; the unique proportion among
non-null values, 0 on no values), and the outcome is built by the same code as GX's
(`quality.suites.make_outcome`): severity, threshold in words, `min_bad_rows`.

Only what is listed in ``SUPPORTED`` is translated: an expectation type, a kwarg, a
row_condition or a column type outside it raises ``Untranslatable`` and the runner checks that
suite with GX on a pandas frame instead, with a warning (quality/suites.py `run_suites`).
tests/expectations/test_sql_equivalence.py holds both paths to the same results.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from quality import gates
from quality.suites import SAMPLE_SIZE, SuiteOutcome, _jsonable, make_outcome

# expectation type -> the kwargs the translation understands
SUPPORTED: dict[str, frozenset[str]] = {
    "expect_table_row_count_to_be_between": frozenset({"min_value", "max_value"}),
    "expect_column_values_to_not_be_null": frozenset({"column", "mostly"}),
    "expect_column_values_to_be_in_set": frozenset({"column", "value_set", "mostly"}),
    "expect_column_values_to_be_between": frozenset(
        {"column", "min_value", "max_value", "mostly", "row_condition", "condition_parser"}
    ),
    "expect_column_proportion_of_unique_values_to_be_between": frozenset(
        {"column", "min_value", "max_value"}
    ),
}
_NOT_NULL = "expect_column_values_to_not_be_null"
_FLOATS = {"FLOAT", "DOUBLE", "REAL"}
_NUMBERS = _FLOATS | {
    "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
    "UINTEGER", "UBIGINT", "UHUGEINT",
}  # fmt: skip
_CONDITION = re.compile(r"""^\s*([A-Za-z_][A-Za-z0-9_]*)\s*==\s*(?:"([^"]*)"|'([^']*)')\s*$""")


class Untranslatable(ValueError):
    """A suite the SQL path cannot check exactly as GX does: GX checks it instead."""


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise Untranslatable(f"bound {value!r} is not a number")
    if isinstance(value, float) and math.isinf(value):
        return "'infinity'::double" if value > 0 else "'-infinity'::double"
    return repr(value)


@dataclass
class _Check:
    """One expectation: its aggregate expressions, and the predicate of its bad rows."""

    index: int
    kind: str
    kwargs: dict  # as in the suite file ($PARAMETER placeholders kept)
    meta: dict
    severity: str
    column: str | None = None
    considered: str | None = None  # rows whose value is judged (non-null, condition)
    element: str | None = None  # rows counted in element_count (None: every row)
    bad: str | None = None  # a judged row that is unexpected
    low: Any = None
    high: Any = None
    sample_source: str | None = None  # the column whose values a failure shows


def _typed(columns: dict[str, str], column: Any) -> str:
    if not isinstance(column, str) or column not in columns:
        raise Untranslatable(f"column {column!r} is not in the suite's query")
    return columns[column]


def _missing(column: str, kind: str) -> str:
    # pandas reads NULL as None/NaN/NaT and GX counts NaN as missing: so does this
    if kind.upper() in _FLOATS:
        return f"({_ident(column)} is null or isnan({_ident(column)}))"
    return f"({_ident(column)} is null)"


def _in_set(column: str, kind: str, values: list) -> str:
    if not values:
        return "false"
    kinds = {type(v) for v in values}
    if kinds == {bool} and kind == "BOOLEAN":
        items = ", ".join("true" if v else "false" for v in values)
    elif kinds == {str} and kind == "VARCHAR":
        items = ", ".join(_text(v) for v in values)
    elif kinds <= {int, float} and kind in _NUMBERS and all(v == v for v in values):
        items = ", ".join(_number(v) for v in values)
    else:
        raise Untranslatable(f"value_set {values!r} against a {kind} column")
    return f"{_ident(column)} in ({items})"


def _condition(kwargs: dict, columns: dict[str, str]) -> str | None:
    condition = kwargs.get("row_condition")
    if condition is None:
        return None
    match = _CONDITION.match(condition) if isinstance(condition, str) else None
    if kwargs.get("condition_parser") != "pandas" or not match:
        raise Untranslatable(f'row_condition {condition!r}: only column=="text" (pandas)')
    column, text = match.group(1), match.group(2) if match.group(2) is not None else match.group(3)
    if _typed(columns, column) != "VARCHAR":
        raise Untranslatable(f"row_condition on the non-text column {column!r}")
    return f"{_ident(column)} = {_text(text)}"


def plan(expectations: list[dict], parameters: dict, columns: dict[str, str]) -> list[_Check]:
    """The SQL of each expectation, or ``Untranslatable``."""
    checks = []
    for index, expectation in enumerate(expectations):
        kind, kwargs = expectation.get("type"), dict(expectation.get("kwargs") or {})
        if kind not in SUPPORTED:
            raise Untranslatable(f"no SQL translation of {kind}")
        unknown = set(kwargs) - SUPPORTED[kind]
        if unknown:
            raise Untranslatable(f"{kind}: no SQL translation of {sorted(unknown)}")
        severity = str(expectation.get("severity", "critical"))
        check = _Check(index, kind, kwargs, dict(expectation.get("meta") or {}), severity)
        values = {k: gates.resolve(v, parameters) for k, v in kwargs.items()}
        mostly = values.get("mostly", 1)
        if isinstance(mostly, bool) or not isinstance(mostly, (int, float)):
            raise Untranslatable(f"{kind}: mostly {mostly!r}")
        if "min_value" in kwargs or "max_value" in kwargs or kind.endswith("_between"):
            check.low, check.high = values.get("min_value"), values.get("max_value")
            if check.low is None and check.high is None:
                raise Untranslatable(f"{kind}: neither min_value nor max_value")
            for bound in (check.low, check.high):
                if bound is not None:
                    _number(bound)
        if kind != "expect_table_row_count_to_be_between":
            check.column = kwargs.get("column")
            column_kind = _typed(columns, check.column)
            missing = _missing(check.column, column_kind)
            source = check.meta.get("sample_column")
            check.sample_source = source if source in columns else check.column
        if kind == _NOT_NULL:
            check.considered, check.bad = "true", missing
        elif kind == "expect_column_values_to_be_in_set":
            value_set = values.get("value_set")
            if not isinstance(value_set, list):
                raise Untranslatable(f"{kind}: value_set {value_set!r}")
            check.considered = f"not {missing}"
            check.bad = f"not ({_in_set(check.column, column_kind, value_set)})"
        elif kind == "expect_column_values_to_be_between":
            if column_kind not in _NUMBERS:
                raise Untranslatable(f"{kind} on the {column_kind} column {check.column!r}")
            condition = _condition(kwargs, columns)
            check.element = condition
            check.considered = f"not {missing}" + (f" and {condition}" if condition else "")
            inside = [
                f"{_ident(check.column)} {op} {_number(bound)}"
                for op, bound in ((">=", check.low), ("<=", check.high))
                if bound is not None
            ]
            check.bad = f"not ({' and '.join(inside)})"
        elif kind == "expect_column_proportion_of_unique_values_to_be_between":
            check.considered = f"not {missing}"
        checks.append(check)
    return checks


def _aggregates(checks: list[_Check]) -> list[str]:
    parts = ["count(*) as n"]
    for c in checks:
        if c.column is None:
            continue
        if c.element:
            parts.append(f"count(*) filter (where {c.element}) as e{c.index}_elements")
        parts.append(f"count(*) filter (where {c.considered}) as e{c.index}_considered")
        if c.bad:
            parts.append(
                f"count(*) filter (where {c.considered} and {c.bad}) as e{c.index}_unexpected"
            )
        else:  # uniqueness
            parts.append(
                f"count(distinct {_ident(c.column)}) filter (where {c.considered}) "
                f"as e{c.index}_distinct"
            )
    return parts


def _mostly_success(considered: int, unexpected: int, mostly: float) -> bool:
    """GX's rule, to the float (great_expectations.expectations.expectation)."""
    if considered == 0:
        return True  # vacuously true, as GX
    return (float(considered) - float(unexpected)) / float(considered) >= mostly


def _between(value: float, low: Any, high: Any) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


@dataclass
class Figures:
    """One expectation's result as GX words it (``result``), its success, bad rows."""

    check: _Check
    success: bool
    result: dict
    bad_rows: int | None
    sample_sql: Callable[[str, int], str] | None = None  # (query, size): offending values


def _figures(check: _Check, row: dict, parameters: dict) -> Figures:
    n = row["n"]
    key = f"e{check.index}"
    if check.kind == "expect_table_row_count_to_be_between":
        return Figures(check, _between(n, check.low, check.high), {"observed_value": n}, None)
    column = _ident(check.column)
    considered = row[f"{key}_considered"]
    if check.bad is None:  # unique proportion among non-null values, 0 on none (as GX)
        distinct = row[f"{key}_distinct"]
        observed = distinct / considered if considered else 0
        duplicates = considered - distinct

        # repeated keys, smallest first (GX lists them in delivery order: the same keys when
        # they are few; numbering the rows to match its order would cost a scan and memory)
        def sample(query: str, size: int) -> str:
            return (
                f"select {column} from ({query}) as q where {check.considered} "
                f"group by {column} having count(*) > 1 order by {column} limit {size}"
            )

        return Figures(
            check,
            _between(observed, check.low, check.high),
            {"observed_value": observed},
            duplicates,
            sample if duplicates else None,
        )
    elements = row[f"{key}_elements"] if check.element else n
    unexpected = row[f"{key}_unexpected"]
    mostly = gates.resolve(check.kwargs.get("mostly", 1), parameters)
    success = elements == 0 or _mostly_success(considered, unexpected, mostly)
    result = {
        "element_count": elements,
        "unexpected_count": unexpected,
        "unexpected_percent": unexpected / considered * 100 if considered and elements else None,
    }
    source = check.sample_source

    def sample(query: str, size: int) -> str:
        # the first offending rows in delivery order (DuckDB keeps insertion order), as GX's
        return (
            f"select {_ident(source)} from ({query}) as q "
            f"where {check.considered} and {check.bad} limit {size}"
        )

    wanted = unexpected and (source != check.column or check.kind != _NOT_NULL)
    return Figures(check, success, result, unexpected, sample if wanted else None)


def _source(suite) -> str:
    """The suite's query, to be read as a subquery (a trailing semicolon dropped)."""
    return suite.query.strip().rstrip(";").strip()


def measure(suite, con, parameters: dict, size: int = SAMPLE_SIZE) -> tuple[list, dict, dict]:
    """Every expectation's ``Figures`` and samples (by index), and the query's columns.
    Raises ``Untranslatable`` (before any scan) when a part has no translation."""
    source = _source(suite)
    columns = {
        name: kind
        for name, kind, *_ in con.execute(f"describe select * from ({source}) as q").fetchall()
    }
    checks = plan(suite.body["expectations"], parameters, columns)
    cursor = con.execute(f"select {', '.join(_aggregates(checks))} from ({source}) as q")
    names = [d[0] for d in cursor.description]
    row = dict(zip(names, cursor.fetchone(), strict=True))
    figures = [_figures(c, row, parameters) for c in checks]
    samples = {}
    for f in figures:
        if f.sample_sql:
            rows = con.execute(f.sample_sql(source, size)).fetchall()
            samples[f.check.index] = [v for (v,) in rows]
        elif f.check.kind == _NOT_NULL and f.bad_rows:
            samples[f.check.index] = [None] * min(f.bad_rows, size)  # GX lists the nulls
    return figures, samples, {"n": row["n"], "columns": columns}


def evaluate(suite, con, parameters: dict, relation_rows: int, size: int = SAMPLE_SIZE):
    """Check ``suite`` in SQL on ``con``: the ``SuiteOutcome`` GX's path gives.
    Raises ``Untranslatable`` (before any scan) when a part has no translation."""
    started = time.perf_counter()
    figures, samples, seen = measure(suite, con, parameters, size)
    outcomes = [
        make_outcome(
            suite, f.check.kind, f.check.kwargs, f.check.meta, f.check.severity, f.success,
            f.result, parameters, bad_rows=f.bad_rows, sample=samples.get(f.check.index, []),
        )
        for f in figures
    ]  # fmt: skip
    values = {}
    wanted = [c for c in suite.jump_bands if c in seen["columns"]]
    if wanted and seen["n"] == 1:
        cursor = con.execute(
            f"select {', '.join(map(_ident, wanted))} from ({_source(suite)}) as q"
        )
        values = {c: _jsonable(v) for c, v in zip(wanted, cursor.fetchone(), strict=True)}
    results = [
        {**f.result, "partial_unexpected_list": samples.get(f.check.index, [])}
        if "unexpected_count" in f.result
        else dict(f.result)
        for f in figures
    ]
    seconds = time.perf_counter() - started
    return SuiteOutcome(suite, outcomes, relation_rows, seconds, values, results)

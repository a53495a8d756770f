"""The raw suites checked in SQL (quality/sql_checks.py) give what Great Expectations gives on
a pandas frame of the same query: success, severity, unexpected counts and percents, observed
values, blocking, the rule in words, and the sample (the same values when they are few).

Small hand-made tables make each supported expectation pass and fail, edge cases included
(no rows, all null, NaN and infinity, a row condition, the `mostly` boundary); then every raw
suite runs both ways on a 2,000-account demo with its planted bad rows."""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import warnings
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from quality import sql_checks
from quality.suites import (
    EXPECTATIONS_DIR,
    SAMPLE_SIZE,
    SuiteFile,
    Validator,
    load_suites,
    run_suites,
    suite_parameters,
)

_NAMES = itertools.count()  # GX keeps every asset name of a context: one each


class RecordingValidator(Validator):
    """GX's path, keeping each expectation's raw GX result for the comparison."""

    def __init__(self) -> None:
        super().__init__(docs_dir=None)
        self.seen: list[dict] = []

    def _outcome(self, suite, r, frame, parameters):
        self.seen.append(dict(r.result or {}))
        return super()._outcome(suite, r, frame, parameters)


@pytest.fixture(scope="module")
def validator() -> RecordingValidator:
    return RecordingValidator()


def suite_of(expectations: list[dict], query: str = "select * from raw_t.items") -> SuiteFile:
    name = f"raw_t__items_{next(_NAMES)}"
    return SuiteFile(
        path=Path(f"{name}.json"),
        name=name,
        layer="raw",
        relation="raw_t.items",
        asset=("raw", "t", "items"),
        query=query,
        collapse_tolerance=None,
        jump_bands={},
        body={"name": name, "expectations": expectations},
        min_bad_rows=10,
    )


def table(columns: str, rows: list[tuple]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute("create schema raw_t")
    con.execute(f"create table raw_t.items ({columns})")
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        con.executemany(f"insert into raw_t.items values ({marks})", rows)
    return con


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12) or (math.isnan(a) and math.isnan(b))
    return a == b


def compare(validator: RecordingValidator, con, suite: SuiteFile, parameters: dict) -> list:
    """Both paths on ``suite``; asserts they agree and returns the SQL outcomes."""
    validator.seen.clear()
    frame = con.execute(suite.query).df()
    gx = validator.validate(suite, frame, parameters, len(frame))
    sql = sql_checks.evaluate(suite, con, parameters, len(frame))
    assert len(gx.outcomes) == len(sql.outcomes) == len(suite.body["expectations"])
    assert gx.values == sql.values  # jump-band columns kept for the next run
    for g, s, gx_result, sql_result in zip(
        gx.outcomes, sql.outcomes, validator.seen, sql.results, strict=True
    ):
        where = (g.expectation, g.column)
        for name in ("expectation", "column", "severity", "success", "blocking", "threshold"):
            assert getattr(g, name) == getattr(s, name), (where, name)
        for name in ("unexpected_count", "bad_rows", "observed", "min_bad_rows"):
            assert _same(getattr(g, name), getattr(s, name)), (where, name, g, s)
        for name in ("element_count", "unexpected_count", "unexpected_percent", "observed_value"):
            assert _same(gx_result.get(name), sql_result.get(name)), (where, name)
        # the same values when they are few; as many, and all really offending, otherwise
        assert len(g.sample) == len(s.sample), (where, g.sample, s.sample)
        if (g.bad_rows or 0) <= SAMPLE_SIZE:
            assert Counter(map(repr, g.sample)) == Counter(map(repr, s.sample)), where
    return sql.outcomes


def expectation(kind: str, severity: str = "critical", meta: dict | None = None, **kwargs):
    return {"type": kind, "kwargs": kwargs, "severity": severity, "meta": meta or {}}


ROW_COUNT = "expect_table_row_count_to_be_between"
NOT_NULL = "expect_column_values_to_not_be_null"
IN_SET = "expect_column_values_to_be_in_set"
BETWEEN = "expect_column_values_to_be_between"
UNIQUE = "expect_column_proportion_of_unique_values_to_be_between"

# (columns, rows, expectations, parameters, expected success per expectation)
KEYS = "k varchar, created_at varchar, ok boolean"


def keys(n: int, nulls: int = 0, duplicates: int = 0, bad: int = 0) -> list[tuple]:
    rows = []
    for i in range(n):
        key = None if i < nulls else f"K{i:04d}"
        if nulls <= i < nulls + duplicates:
            key = f"K{n - 1:04d}"  # repeats the last row's key
        created = "31/02/2024" if i < bad else "2024-03-01T10:00:00Z"
        rows.append((key, created, i >= bad))
    return rows


MIN_ROWS = {"$PARAMETER": "min_rows"}
KEY_NN = expectation(NOT_NULL, column="k", mostly=0.98)
KEY_UNIQUE = expectation(UNIQUE, column="k", min_value=0.98)
PARSEABLE = expectation(
    IN_SET, meta={"sample_column": "created_at"}, column="ok", value_set=[True], mostly=0.98
)
CASES = {
    "row count passes": (KEYS, keys(3), [expectation(ROW_COUNT, min_value=MIN_ROWS)], 3, [True]),
    "row count fails below": (
        KEYS,
        keys(2),
        [expectation(ROW_COUNT, min_value=MIN_ROWS)],
        3,
        [False],
    ),
    "row count fails on none": (KEYS, [], [expectation(ROW_COUNT, min_value=1)], 1, [False]),
    "row count fails above": (KEYS, keys(5), [expectation(ROW_COUNT, max_value=4)], 1, [False]),
    "not null passes": (KEYS, keys(50), [KEY_NN], 1, [True]),
    "not null at the mostly boundary": (KEYS, keys(100, nulls=2), [KEY_NN], 1, [True]),
    "not null fails, tolerated": (KEYS, keys(20, nulls=1), [KEY_NN], 1, [False]),
    "not null fails, blocks": (KEYS, keys(200, nulls=30), [KEY_NN], 1, [False]),
    "not null without mostly": (
        KEYS,
        keys(10, nulls=1),
        [expectation(NOT_NULL, column="k")],
        1,
        [False],
    ),
    "not null all null": (
        KEYS,
        keys(3, nulls=3),
        [expectation(NOT_NULL, column="k", mostly=0.5)],
        1,
        [False],
    ),
    "not null on no rows": (KEYS, [], [KEY_NN], 1, [True]),
    "in set passes": (KEYS, keys(30), [PARSEABLE], 1, [True]),
    "in set fails with source sample": (KEYS, keys(40, bad=4), [PARSEABLE], 1, [False]),
    "in set fails on many, in order": (KEYS, keys(400, bad=40), [PARSEABLE], 1, [False]),
    "in set within threshold keeps a sample": (KEYS, keys(1000, bad=3), [PARSEABLE], 1, [True]),
    "in set ignores nulls": (
        "k varchar, ok boolean",
        [("a", True), ("b", None), ("c", False)],
        [expectation(IN_SET, column="ok", value_set=[True], mostly=0.5)],
        1,
        [True],
    ),
    "in set of text": (
        "k varchar",
        [("a",), ("b",), ("z",), (None,)],
        [expectation(IN_SET, column="k", value_set=["a", "b"])],
        1,
        [False],
    ),
    "in set of numbers": (
        "x integer",
        [(1,), (2,), (7,)],
        [expectation(IN_SET, column="x", value_set=[1, 2, 7])],
        1,
        [True],
    ),
    "in an empty set": (
        "k varchar",
        [("a",)],
        [expectation(IN_SET, column="k", value_set=[])],
        1,
        [False],
    ),
    "in set all null": (
        "k varchar",
        [(None,), (None,)],
        [expectation(IN_SET, column="k", value_set=["a"])],
        1,
        [True],
    ),
    "unique passes": (KEYS, keys(50), [KEY_UNIQUE], 1, [True]),
    "unique fails, tolerated": (KEYS, keys(20, duplicates=1), [KEY_UNIQUE], 1, [False]),
    "unique fails, blocks": (KEYS, keys(100, duplicates=30), [KEY_UNIQUE], 1, [False]),
    "unique ignores nulls": (KEYS, keys(100, nulls=40), [KEY_UNIQUE], 1, [True]),
    "unique all null": (KEYS, keys(4, nulls=4), [KEY_UNIQUE], 1, [False]),
    "unique with a maximum": (
        "x integer",
        [(1,), (2,), (3,)],
        [expectation(UNIQUE, column="x", min_value=0, max_value=0.5)],
        1,
        [False],
    ),
    "unique, several repeated keys": (
        "k varchar",
        [("a",), ("b",), ("a",), ("c",), ("b",), ("b",), ("d",)],
        [expectation(UNIQUE, column="k", min_value=0.9)],
        1,
        [False],
    ),
    "warning severity": (
        KEYS,
        keys(10, nulls=5),
        [expectation(NOT_NULL, severity="warning", column="k")],
        1,
        [False],
    ),
}

ANSWERS = "measure varchar, v double"
ANSWER_ROWS = [
    ("nps", 0.0), ("nps", 10.0), ("nps", 11.0), ("nps", None), ("nps", float("nan")),
    ("nps", float("inf")), ("csat", 9.0), ("csat", 3.0), (None, 50.0), ("nps", -1.0),
]  # fmt: skip


def scale(low=None, high=None, condition: str | None = None, **kwargs) -> dict:
    if condition:
        kwargs.update(row_condition=f'measure=="{condition}"', condition_parser="pandas")
    bounds = {k: v for k, v in (("min_value", low), ("max_value", high)) if v is not None}
    return expectation(BETWEEN, column="v", **bounds, **kwargs)


BAND = {"low": {"$PARAMETER": "v_low"}, "high": {"$PARAMETER": "v_high"}}
BETWEEN_CASES = {
    "between with a row condition fails": ([scale(0, 10, "nps", mostly=0.98)], {}, [False]),
    "between with a row condition, loose mostly": ([scale(0, 10, "nps", mostly=0.4)], {}, [True]),
    "between on a condition no row meets": ([scale(0, 10, "ces")], {}, [True]),
    "between, no condition": ([scale(-1, 100, mostly=0.5)], {}, [True]),
    "between, minimum only": ([scale(low=1)], {}, [False]),
    "between, maximum only": ([scale(high=60)], {}, [False]),
    "between, parameter bounds unbounded": (
        [scale(**BAND)],
        {"v_low": float("-inf"), "v_high": float("inf")},
        [True],
    ),
    "between, parameter bounds": ([scale(**BAND)], {"v_low": 0.0, "v_high": 12.5}, [False]),
    "not null on a float column with NaN": (
        [expectation(NOT_NULL, column="v", mostly=0.5)],
        {},
        [True],
    ),
    "unique on a float column with NaN": (
        [expectation(UNIQUE, column="v", min_value=0.5)],
        {},
        [True],
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_sql_path_agrees_with_gx(validator, case):
    columns, rows, expectations, min_rows, expected = CASES[case]
    con = table(columns, rows)
    outcomes = compare(validator, con, suite_of(expectations), {"min_rows": min_rows})
    assert [o.success for o in outcomes] == expected  # the cases test what they say


@pytest.mark.parametrize("case", list(BETWEEN_CASES), ids=list(BETWEEN_CASES))
def test_sql_path_agrees_with_gx_on_numbers(validator, case):
    expectations, parameters, expected = BETWEEN_CASES[case]
    con = table(ANSWERS, ANSWER_ROWS)
    outcomes = compare(validator, con, suite_of(expectations), {"min_rows": 1, **parameters})
    assert [o.success for o in outcomes] == expected


def test_hand_counted_figures(validator):
    """Figures counted by hand, so both paths cannot agree on a wrong answer."""
    con = table(ANSWERS, ANSWER_ROWS)
    unique = expectation(UNIQUE, column="v", min_value=1)
    suite = suite_of([scale(0, 10, "nps", mostly=0.98), expectation(NOT_NULL, column="v"), unique])
    sql = sql_checks.evaluate(suite, con, {"min_rows": 1}, len(ANSWER_ROWS))
    between, not_null, unique = sql.results
    # nps rows: 0, 10, 11, NULL, NaN, inf, -1: 7 rows, 5 with a value, 3 outside 0-10
    assert between["element_count"] == 7 and between["unexpected_count"] == 3
    assert between["unexpected_percent"] == pytest.approx(60.0)
    assert sorted(sql.outcomes[0].sample) == [-1.0, 11.0, float("inf")]
    # NULL and NaN are both missing: 2 of 10 rows
    assert not_null["unexpected_count"] == 2 and not_null["unexpected_percent"] == 20.0
    assert sql.outcomes[1].sample == [None, None]
    # 8 values, all distinct
    assert unique["observed_value"] == 1.0
    compare(validator, con, suite, {"min_rows": 1})


def test_jump_band_values_are_kept_as_gx_keeps_them(validator):
    con = table(ANSWERS, ANSWER_ROWS)
    suite = dataclasses.replace(
        suite_of(
            [scale(**BAND)], query="select avg(v) filter (where isfinite(v)) as v from raw_t.items"
        ),
        jump_bands={"v": 5.0},
    )
    compare(validator, con, suite, {"min_rows": 1, "v_low": 0.0, "v_high": 5.0})
    sql = sql_checks.evaluate(suite, con, {"v_low": 0.0, "v_high": 5.0}, 10)
    assert sql.values == {"v": pytest.approx((0 + 10 + 11 + 9 + 3 + 50 - 1) / 7)}
    assert not sql.outcomes[0].success  # 11.71 is above 5


def test_one_aggregate_scan_a_suite_and_samples_only_for_bad_rows():
    con = table(KEYS, keys(100))
    suite = load_suites("raw")[0]
    suite = dataclasses.replace(suite, query="select * from raw_t.items", relation="raw_t.items")
    body = {
        **suite.body,
        "expectations": [
            expectation(ROW_COUNT, min_value=1),
            expectation(NOT_NULL, column="k", mostly=0.98),
            expectation(UNIQUE, column="k", min_value=0.98),
            expectation(IN_SET, column="ok", value_set=[True], mostly=0.98),
        ],
    }
    suite = dataclasses.replace(suite, body=body)
    seen: list[str] = []

    class Spy:
        def execute(self, sql, *args):
            seen.append(sql)
            return con.execute(sql, *args)

    sql_checks.evaluate(suite, Spy(), {}, 100)
    scans = [s for s in seen if not s.startswith("describe")]
    assert len(scans) == 1, scans  # good data: one aggregate query, no sample query
    con.execute("update raw_t.items set k = null where k = 'K0001'")
    seen.clear()
    sql_checks.evaluate(suite, Spy(), {}, 100)
    scans = [s for s in seen if not s.startswith("describe")]
    assert len(scans) == 1  # a null key: its sample is the nulls GX lists, no second query
    con.execute("update raw_t.items set ok = false where k = 'K0002'")
    seen.clear()
    sql_checks.evaluate(suite, Spy(), {}, 100)
    assert len([s for s in seen if not s.startswith("describe")]) == 2


def test_every_raw_expectation_type_has_a_translation():
    """The shipped raw suites use only translated types and kwargs (an unknown one would
    make the suite fall back to GX on a pandas frame of the whole table)."""
    used = {}
    for path in sorted((EXPECTATIONS_DIR / "raw").glob("*.json")):
        for e in json.loads(path.read_text())["expectations"]:
            used.setdefault(e["type"], set()).update(e["kwargs"])
    assert set(used) <= set(sql_checks.SUPPORTED), set(used) - set(sql_checks.SUPPORTED)
    for kind, kwargs in used.items():
        assert kwargs <= sql_checks.SUPPORTED[kind], (kind, kwargs - sql_checks.SUPPORTED[kind])


@pytest.mark.parametrize(
    "bad",
    [
        expectation("expect_column_values_to_match_regex", column="k", regex="^K"),
        expectation(NOT_NULL, column="k", result_format="COMPLETE"),
        expectation(BETWEEN, column="k", min_value=0, max_value=1),  # text column
        expectation(IN_SET, column="ok", value_set=["yes"]),  # text values, boolean column
        expectation(NOT_NULL, column="no_such_column"),
        expectation(BETWEEN, column="x", min_value=0, row_condition="x > 1",
                    condition_parser="pandas"),
    ],
    ids=["unknown type", "unknown kwarg", "between text", "set type", "no column", "condition"],
)  # fmt: skip
def test_untranslatable_suite_falls_back_to_gx_with_a_warning(validator, bad):
    con = table("k varchar, ok boolean, x integer", [("K1", True, 1), ("x", False, 2)])
    suite = suite_of([expectation(ROW_COUNT, min_value=1), bad])
    with pytest.raises(sql_checks.Untranslatable):
        sql_checks.evaluate(suite, con, {"min_rows": 1}, 2)
    with pytest.warns(UserWarning, match="checked by Great Expectations"):
        (result,) = run_suites([suite], con, validator=validator)
    assert len(result.outcomes) == 2 and result.results == []  # GX's outcome, not SQL's
    assert next(o for o in result.outcomes if o.expectation == ROW_COUNT).success


def test_raw_layer_never_builds_gx_without_docs(monkeypatch):
    con = table(KEYS, keys(30))
    suite = suite_of([expectation(NOT_NULL, column="k", mostly=0.98)])

    def no_gx(*args, **kwargs):
        raise AssertionError("GX built for a suite checked in SQL")

    monkeypatch.setattr("quality.suites.Validator.__init__", no_gx)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (result,) = run_suites([suite], con)
    assert result.outcomes[0].success and result.results


def test_suites_checked_in_sql_appear_in_data_docs(tmp_path):
    con = table(KEYS, keys(40, bad=4))
    suite = suite_of([expectation(IN_SET, column="ok", value_set=[True], mostly=0.98)])
    docs = tmp_path / "docs"
    (result,) = run_suites([suite], con, docs_dir=docs)
    assert not result.outcomes[0].success
    assert suite.name in (docs / "index.html").read_text(encoding="utf-8")
    pages = list(docs.rglob("validations/**/*.html"))
    assert len(pages) == 1 and "31/02/2024" not in pages[0].name


# --- every raw suite, both ways, on a 2,000-account demo with its planted bad rows ----------


@pytest.fixture(scope="module")
def demo_raw(tmp_path_factory):
    from demo_data.generator import generate
    from ingest.landing import load_landing_into

    folder = tmp_path_factory.mktemp("raw-demo")
    generate(folder / "landing", accounts=2_000, seed=5, months=12)
    load_landing_into("duckdb", folder / "landing", database=folder / "warehouse.duckdb")
    con = duckdb.connect(str(folder / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


RAW = load_suites("raw")


@pytest.mark.parametrize("suite", RAW, ids=[s.name for s in RAW])
def test_raw_suites_agree_on_the_demo(validator, demo_raw, suite):
    con = demo_raw
    parameters = suite_parameters(suite, {}, {})
    named = dataclasses.replace(suite, name=f"{suite.name}_{next(_NAMES)}")
    outcomes = compare(validator, con, named, parameters)
    assert all(o.severity == "error" for o in outcomes)
    # the demo plants bad rows: the keyed tables show them (not every table has every kind)
    if suite.relation in ("raw_crm.accounts", "raw_ticketing.tickets"):
        assert any(o.bad_rows for o in outcomes), [o.describe() for o in outcomes]
    for o in outcomes:
        if o.bad_rows and o.sample and o.expectation == IN_SET:
            # samples are delivered text that the timestamp rule rejects
            column = o.column.removesuffix("_is_parseable")
            bad = con.execute(
                f"select count(*) from {suite.relation} where {column} in "
                f"({', '.join('?' * len(o.sample))}) and not raw_meta.is_timestamp({column})",
                o.sample,
            ).fetchone()[0]
            assert bad >= len(set(o.sample))

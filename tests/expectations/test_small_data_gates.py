"""Small data publishes when it should: a raw gate with a share threshold blocks only when the
bad share is over the threshold AND the bad rows number more than `min_bad_rows`; below that
the bad rows are quarantined and the check warns. Failures show the offending source values
and the threshold. Uses the real raw suite of crm.accounts on small hand-made tables."""

from __future__ import annotations

import dataclasses
import itertools

import dagster as dg
import duckdb
import pytest

from ingest.timestamps import create_timestamp_rule
from orchestration.checks.expectations import _results
from quality.suites import Validator, load_suites, suite_parameters

_NAMES = itertools.count()  # GX keeps every asset name of a context: one each
ACCOUNTS = next(s for s in load_suites("raw") if s.relation == "raw_crm.accounts")


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator(docs_dir=None)


def accounts(rows: int, missing_keys: int = 0, bad_dates: int = 0, duplicates: int = 0):
    """A raw_crm.accounts table of `rows` rows, the first ones broken as asked."""
    data = []
    for i in range(rows):
        key = None if i < missing_keys else f"A{i:05d}"
        if missing_keys <= i < missing_keys + duplicates:
            key = "A99999"  # repeats the key of the last-but-one row below
        created = "31/02/2024" if i < bad_dates else "2024-03-01T10:00:00Z"
        data.append((key, f"name {i}", "smb", "FR", created))
    if duplicates:
        data[-1] = ("A99999", "dup", "smb", "FR", "2024-03-01T10:00:00Z")
    con = duckdb.connect(":memory:")
    create_timestamp_rule(con)  # the loader's timestamp rule the raw suites call
    con.execute("create schema raw_crm")
    con.execute(
        "create table raw_crm.accounts (account_id varchar, account_name varchar, "
        "segment varchar, country varchar, created_at varchar)"
    )
    con.executemany("insert into raw_crm.accounts values (?, ?, ?, ?, ?)", data)
    return con


def validate(validator, con, suite=ACCOUNTS):
    frame = con.execute(suite.query).df()
    rows = con.execute(f"select count(*) from {suite.relation}").fetchone()[0]
    suite = dataclasses.replace(suite, name=f"{suite.name}_{next(_NAMES)}")
    return validator.validate(suite, frame, suite_parameters(suite, {}, {}), rows)


def outcome_of(result, expectation: str):
    return next(o for o in result.outcomes if o.expectation == expectation)


def check_results(result) -> dict[str, dg.AssetCheckResult]:
    return {r.check_name.split("_")[-1]: r for r in _results(result)}


def test_raw_suites_say_their_minimum():
    assert ACCOUNTS.min_bad_rows == 10
    assert all(s.min_bad_rows == 10 for s in load_suites("raw"))
    assert all(s.min_bad_rows == 0 for s in load_suites("marts"))


def test_tiny_table_with_one_bad_row_warns_and_does_not_block(validator):
    result = validate(validator, accounts(20, missing_keys=1))
    missing = outcome_of(result, "expect_column_values_to_not_be_null")
    assert not missing.success and not missing.blocking  # 5 % bad, but one row
    assert result.failed("error") == [] and result.tolerated() == [missing]
    check = next(_results(result))
    assert check.passed is False and check.severity == dg.AssetCheckSeverity.WARN
    assert "not blocking" in check.description and "at most 2 % of rows" in check.description


def test_large_table_over_threshold_still_blocks(validator):
    result = validate(validator, accounts(1000, missing_keys=30))  # 3 %: 30 rows
    missing = outcome_of(result, "expect_column_values_to_not_be_null")
    assert not missing.success and missing.blocking
    assert result.failed("error") == [missing]
    check = next(_results(result))
    assert check.passed is False and check.severity == dg.AssetCheckSeverity.ERROR


@pytest.mark.parametrize(("bad", "blocks"), [(10, False), (11, True)])
def test_minimum_is_a_strict_bound(validator, bad: int, blocks: bool):
    result = validate(validator, accounts(100, missing_keys=bad))
    missing = outcome_of(result, "expect_column_values_to_not_be_null")
    assert not missing.success
    assert missing.blocking is blocks


def test_within_threshold_passes_whatever_the_count(validator):
    result = validate(validator, accounts(1000, missing_keys=15))  # 1.5 %, 15 rows
    assert outcome_of(result, "expect_column_values_to_not_be_null").success


def test_minimum_can_be_set_per_expectation(validator):
    body = dict(ACCOUNTS.body)
    body["expectations"] = [
        {**e, "meta": {**e.get("meta", {}), "min_bad_rows": 0}}
        if e["type"] == "expect_column_values_to_not_be_null"
        else e
        for e in body["expectations"]
    ]
    strict = dataclasses.replace(ACCOUNTS, body=body)
    result = validate(validator, accounts(20, missing_keys=1), strict)
    assert outcome_of(result, "expect_column_values_to_not_be_null").blocking


def test_minimum_can_be_set_per_suite(validator):
    strict = dataclasses.replace(ACCOUNTS, min_bad_rows=0)
    result = validate(validator, accounts(20, missing_keys=1), strict)
    assert outcome_of(result, "expect_column_values_to_not_be_null").blocking


def test_sample_shows_source_values_and_threshold(validator):
    result = validate(validator, accounts(1000, bad_dates=40))
    dates = outcome_of(result, "expect_column_values_to_be_in_set")
    assert not dates.success and dates.blocking
    assert dates.sample == ["31/02/2024"] * 5  # the delivered text, not the derived False
    text = dates.describe()
    assert "'31/02/2024'" in text and "False" not in text
    assert "expected in {True}, bad on at most 2 % of rows" in text


def test_duplicate_keys_show_the_keys_observed_share_and_minimum(validator):
    small = validate(validator, accounts(20, duplicates=1))
    unique = outcome_of(small, "expect_column_proportion_of_unique_values_to_be_between")
    assert not unique.success and not unique.blocking and unique.bad_rows == 1
    assert unique.sample == ["A99999"]
    big = validate(validator, accounts(100, duplicates=30))
    unique = outcome_of(big, "expect_column_proportion_of_unique_values_to_be_between")
    assert not unique.success and unique.blocking and unique.bad_rows == 30
    text = unique.describe()
    assert f"observed {unique.observed!r}" in text and "expected at least 0.98" in text
    assert unique.observed == pytest.approx(70 / 100)  # 31 rows share a key: 70 distinct


@pytest.mark.parametrize(
    ("kind", "kwargs", "words"),
    [
        ("expect_table_row_count_to_be_between", {"min_value": {"$PARAMETER": "min_rows"}},
         "at least 500"),
        ("expect_column_values_to_be_between",
         {"column": "v", "min_value": 0, "max_value": 10, "mostly": 0.98},
         "between 0 and 10, bad on at most 2 % of rows"),
        ("expect_column_values_to_be_between",
         {"column": "nps", "min_value": {"$PARAMETER": "nps_low"},
          "max_value": {"$PARAMETER": "nps_high"}},
         "at most 12.5"),
        ("expect_column_proportion_of_unique_values_to_be_between",
         {"column": "k", "min_value": 0.98}, "at least 0.98"),
        ("expect_column_values_to_be_in_set", {"column": "c", "value_set": []},
         "no value (an empty set)"),
    ],
)  # fmt: skip
def test_threshold_in_words(kind, kwargs, words):
    from quality.gates import threshold

    parameters = {"min_rows": 500, "nps_low": float("-inf"), "nps_high": 12.5}
    assert threshold(kind, kwargs, parameters) == words


def test_sample_shows_source_values_also_within_threshold(validator):
    result = validate(validator, accounts(1000, bad_dates=3))  # 0.3 %: passes
    dates = outcome_of(result, "expect_column_values_to_be_in_set")
    assert dates.success and dates.sample == ["31/02/2024"] * 3

"""Every expectation of every suite passes on the good demo warehouse and fails when its
data is broken the way it guards against: no check that cannot fail."""

from __future__ import annotations

import dataclasses
import json

import duckdb
import numpy as np
import pandas as pd
import pytest

from quality.suites import Validator, load_suites, suite_parameters

SUITES = [s for layer in ("raw", "marts") for s in load_suites(layer)]


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator(docs_dir=None)


@pytest.fixture(scope="module")
def warehouse(demo_run, demo_settings):
    con = duckdb.connect(str(demo_settings.database), read_only=True)
    state_file = demo_settings.publish_dir / "current" / "state.json"
    previous = json.loads(state_file.read_text())
    yield con, previous
    con.close()


def _resolve(value, parameters):
    if isinstance(value, dict) and "$PARAMETER" in value:
        return parameters[value["$PARAMETER"]]
    return value


def _break(frame: pd.DataFrame, expectation: dict, parameters: dict) -> pd.DataFrame:
    kind, kwargs = expectation["type"], expectation["kwargs"]
    if kind == "expect_table_row_count_to_be_between":
        return frame.iloc[0:0]
    column = kwargs["column"]
    broken = frame.copy() if len(frame) else pd.DataFrame({column: [None]})
    broken[column] = broken[column].astype(object)
    if kind == "expect_column_values_to_not_be_null":
        broken[column] = None
    elif kind == "expect_column_proportion_of_unique_values_to_be_between":
        broken[column] = "same"
        broken = pd.concat([broken, broken])
    elif kind == "expect_column_values_to_be_in_set":
        broken[column] = "__not_a_valid_value__"
    elif kind == "expect_column_values_to_be_between":
        high = _resolve(kwargs.get("max_value"), parameters)
        low = _resolve(kwargs.get("min_value"), parameters)
        if high is not None and np.isfinite(high):
            broken[column] = float(high) + 1
        else:
            broken[column] = float(low) - 1
        broken[column] = broken[column].astype(float)
    else:
        raise AssertionError(f"no way to break {kind}: teach this test")
    return broken


@pytest.mark.parametrize("suite", SUITES, ids=[s.name for s in SUITES])
def test_suite_passes_on_good_data_and_each_expectation_fails_on_broken(
    warehouse, validator, suite
):
    con, previous = warehouse
    frame = con.execute(suite.query).df()
    rows = con.execute(f"select count(*) from {suite.relation}").fetchone()[0]
    parameters = suite_parameters(suite, previous, {})

    good = validator.validate(suite, frame, parameters, rows)
    # warnings may fire on the demo by design (the demo plants unknown channel codes)
    failed_errors = [o.describe() for o in good.failed("error")]
    assert not failed_errors

    for index, expectation in enumerate(suite.body["expectations"]):
        single = dataclasses.replace(
            suite,
            name=f"{suite.name}__{index}",
            body={**suite.body, "expectations": [expectation]},
        )
        broken = _break(frame, expectation, parameters)
        outcome = validator.validate(single, broken, parameters, rows)
        assert [o.success for o in outcome.outcomes] == [False], (index, expectation)


def test_data_docs_list_every_suite_of_the_run(demo_run, demo_settings):
    """The run renders a Data Docs site per layer, linked from one index, with a
    validation page per suite."""
    docs = demo_settings.quality_dir / "data_docs"
    top = (docs / "index.html").read_text(encoding="utf-8")
    for layer in ("raw", "marts"):
        assert f'href="{layer}/index.html"' in top
        html = (docs / layer / "index.html").read_text(encoding="utf-8")
        missing = [s.name for s in load_suites(layer) if s.name not in html]
        assert not missing, f"suites missing from the {layer} Data Docs: {missing}"
    pages = list(docs.rglob("validations/**/*.html"))
    assert len(pages) >= len(SUITES)

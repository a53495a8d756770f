"""A suite checked in SQL (quality/sql_checks.py), recorded as a GX validation result: the
layer's Great Expectations Data Docs then show it like a suite GX validated itself."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from quality import gates


def _plain(value: Any) -> Any:
    # GX stores results as JSON: infinite bounds (an unbounded band) as text
    if isinstance(value, float) and (math.isinf(value) or math.isnan(value)):
        return str(value)
    return value


def store_validation(context, outcome, parameters: dict[str, Any]) -> None:
    """Add the suite to ``context`` and store ``outcome`` (a ``SuiteOutcome``) as its
    validation result of this run."""
    from great_expectations.core.expectation_suite import ExpectationSuite
    from great_expectations.core.expectation_validation_result import (
        ExpectationSuiteValidationResult,
        ExpectationValidationResult,
    )
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    suite = outcome.suite
    expectations = suite.body["expectations"]
    if suite.name not in {s.name for s in context.suites.all()}:
        context.suites.add(
            ExpectationSuite(
                name=suite.name,
                expectations=[
                    {k: v for k, v in e.items() if k in ("type", "kwargs", "meta", "severity")}
                    for e in expectations
                ],
            )
        )
    results = []
    figures = outcome.results or [{} for _ in outcome.outcomes]
    for expectation, o, figure in zip(expectations, outcome.outcomes, figures, strict=True):
        kwargs = {k: _plain(gates.resolve(v, parameters)) for k, v in expectation["kwargs"].items()}
        config = ExpectationConfiguration(
            type=expectation["type"],
            kwargs=kwargs,
            meta=expectation.get("meta") or {},
            severity=expectation.get("severity", "critical"),
        )
        result = {k: _plain(v) for k, v in figure.items()}
        results.append(
            ExpectationValidationResult(success=o.success, expectation_config=config, result=result)
        )
    passed = sum(1 for o in outcome.outcomes if o.success)
    run_time = dt.datetime.now(dt.UTC)
    validation = ExpectationSuiteValidationResult(
        success=passed == len(results),
        results=results,
        suite_name=suite.name,
        statistics={
            "evaluated_expectations": len(results),
            "successful_expectations": passed,
            "unsuccessful_expectations": len(results) - passed,
            "success_percent": 100.0 * passed / len(results) if results else None,
        },
        meta={
            "checked_in": "SQL (quality/sql_checks.py)",
            "relation": suite.relation,
            "validation_time": run_time.isoformat(),
        },
    )
    identifier = ExpectationSuiteIdentifier(name=suite.name)
    context.validation_results_store.store_validation_results(
        suite_validation_result=validation,
        suite_validation_result_identifier=ValidationResultIdentifier(
            expectation_suite_identifier=identifier,
            run_id=RunIdentifier(run_time=run_time),
            batch_identifier=suite.relation,
        ),
        expectation_suite_identifier=identifier,
    )

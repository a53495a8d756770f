"""Great Expectations suites as Dagster asset checks: one blocking check per suite for its
error-severity expectations, one non-blocking check for its warnings. The raw suites are
checked in SQL, the mart suites by GX (quality/suites.py `run_suites`)."""

import json
from pathlib import Path

import dagster as dg
import duckdb

from ingest.vendor_tables import selected_vendors
from orchestration.resources import WarehouseResource
from publishing.state import previous_state
from quality.page import read_vendor_rows
from quality.suites import (
    SuiteFile,
    SuiteOutcome,
    Validator,
    load_suites,
    run_suites,
    write_docs_index,
)


def _results(outcome: SuiteOutcome):
    suite = outcome.suite
    key = dg.AssetKey(list(suite.asset))
    for severity, check_name, dagster_severity in (
        ("error", f"ge_{suite.name}", dg.AssetCheckSeverity.ERROR),
        ("warning", f"ge_{suite.name}_warnings", dg.AssetCheckSeverity.WARN),
    ):
        expected = suite.error_count if severity == "error" else suite.warning_count
        if not expected:
            continue
        failed = outcome.failed(severity)
        # error expectations that failed on a few bad rows only (min_bad_rows): a warning
        tolerated = outcome.tolerated() if severity == "error" else []
        description = "; ".join(o.describe() for o in failed + tolerated) or (
            f"{expected} expectation(s) met on {outcome.rows:,} rows"
        )
        yield dg.AssetCheckResult(
            check_name=check_name,
            asset_key=key,
            passed=not failed and not tolerated,
            severity=dg.AssetCheckSeverity.WARN if tolerated and not failed else dagster_severity,
            description=description,
            metadata={
                "relation": suite.relation,
                "suite_file": dg.MetadataValue.path(str(suite.path)),
                "rows_checked": outcome.rows,
                "expectations": expected,
                "failed": len(failed),
                "tolerated": len(tolerated),
                "failures": dg.MetadataValue.json(
                    [
                        {
                            "expectation": o.expectation,
                            "column": o.column,
                            "unexpected_count": o.unexpected_count,
                            "sample": o.sample,
                            "observed": o.observed,
                            "threshold": o.threshold,
                            "blocking": o.blocking,
                        }
                        for o in failed + tolerated
                    ]
                ),
            },
        )


def _write_results(path: Path, results: list[SuiteOutcome], **extra) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "suites": [
            {
                "suite": r.suite.name,
                "relation": r.suite.relation,
                "rows": r.rows,
                "values": r.values,
                "seconds": round(r.seconds, 3),
                "expectations": [
                    {
                        "expectation": o.expectation,
                        "column": o.column,
                        "severity": o.severity,
                        "success": o.success,
                        "unexpected_count": o.unexpected_count,
                        "sample": o.sample,
                        "observed": o.observed,
                        "threshold": o.threshold,
                        "blocking": o.blocking,
                        "bad_rows": o.bad_rows,
                        "min_bad_rows": o.min_bad_rows,
                        "notes": o.notes,
                    }
                    for o in r.outcomes
                ],
            }
            for r in results
        ],
        **extra,
    }
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")


def _contract_suites(layer: str) -> list[SuiteFile]:
    """The suites of ``layer``; for the raw layer only those of systems read from the raw
    contract: a system read from a vendor's tables (CXW_<SYSTEM>_SOURCE, docs/sources.md) has
    no contract files loaded, its rows are checked through the adapter, staging, quarantine
    and the mart checks, and vendor_row_conservation accounts for every vendor row."""
    suites = load_suites(layer)
    if layer != "raw":
        return suites
    vendors = selected_vendors()
    return [s for s in suites if s.relation.split(".", 1)[0].removeprefix("raw_") not in vendors]


def build_expectation_checks(layer: str, extra_parameters=None) -> dg.AssetChecksDefinition | None:
    suites = _contract_suites(layer)
    specs = []
    for suite in suites:
        key = dg.AssetKey(list(suite.asset))
        if suite.error_count:
            specs.append(
                dg.AssetCheckSpec(
                    name=f"ge_{suite.name}",
                    asset=key,
                    blocking=True,
                    description=f"Great Expectations suite {suite.path.name}: "
                    f"{suite.error_count} error-severity expectation(s); a failure blocks "
                    "everything downstream, publishing included.",
                )
            )
        if suite.warning_count:
            specs.append(
                dg.AssetCheckSpec(
                    name=f"ge_{suite.name}_warnings",
                    asset=key,
                    blocking=False,
                    description=f"Great Expectations suite {suite.path.name}: "
                    f"{suite.warning_count} warning(s), shown on the data-quality page.",
                )
            )

    if not specs:
        return None  # every system read from a vendor: no raw contract suite applies

    @dg.multi_asset_check(specs=specs, name=f"ge_{layer}_expectations", can_subset=False)
    def _checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
        quality = warehouse.run_quality_dir(context.run.run_id)
        docs = Path(warehouse.quality_dir) / "data_docs"
        validator = Validator(docs_dir=docs / layer)
        con = duckdb.connect(str(warehouse.database_path), read_only=True)
        try:
            parameters = dict(extra_parameters(con) if extra_parameters else {})
            # raw suites are checked in SQL, mart suites by GX (quality/suites.py run_suites)
            results = run_suites(
                suites,
                con,
                previous=previous_state(warehouse.publish_path),
                extra_parameters=parameters,
                validator=validator,
                log=context.log.warning,
            )
            extra = {"vendor_rows": read_vendor_rows(con)} if layer == "marts" else {}
        finally:
            con.close()
        _write_results(quality / f"{layer}.json", results, **extra)
        write_docs_index(docs, quality, context.run.run_id)  # offline page (quality/page.py)
        for outcome in results:
            for failed in outcome.failed("error"):
                context.log.error(f"check failed: {failed.describe()}")
            for failed in outcome.tolerated():
                context.log.warning(f"check warned: {failed.describe()}")
            for failed in outcome.failed("warning"):
                context.log.warning(f"check warned: {failed.describe()}")
            yield from _results(outcome)

    return _checks


raw_expectations = build_expectation_checks("raw")
mart_expectations = build_expectation_checks("marts")

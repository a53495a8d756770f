"""Great Expectations suites as Dagster asset checks: one blocking check per suite for its
error-severity expectations, one non-blocking check for its warnings."""

import json
from pathlib import Path

import dagster as dg
import duckdb

from ingest.vendor_tables import selected_vendors
from orchestration.resources import WarehouseResource
from publishing.state import previous_state
from quality.suites import (
    SuiteFile,
    SuiteOutcome,
    Validator,
    load_suites,
    suite_parameters,
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
        description = "; ".join(o.describe() for o in failed) or (
            f"{expected} expectation(s) met on {outcome.rows:,} rows"
        )
        yield dg.AssetCheckResult(
            check_name=check_name,
            asset_key=key,
            passed=not failed,
            severity=dagster_severity,
            description=description,
            metadata={
                "relation": suite.relation,
                "suite_file": dg.MetadataValue.path(str(suite.path)),
                "rows_checked": outcome.rows,
                "expectations": expected,
                "failed": len(failed),
                "failures": dg.MetadataValue.json(
                    [
                        {
                            "expectation": o.expectation,
                            "column": o.column,
                            "unexpected_count": o.unexpected_count,
                            "sample": o.sample,
                            "observed": o.observed,
                        }
                        for o in failed
                    ]
                ),
            },
        )


def _write_results(path: Path, results: list[SuiteOutcome]) -> None:
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
                        "notes": o.notes,
                    }
                    for o in r.outcomes
                ],
            }
            for r in results
        ]
    }
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")


def _vendor_fed(suite: SuiteFile, vendors: dict[str, str]) -> str | None:
    """The vendor a raw suite's system is read from (its contract file is not loaded then)."""
    if suite.layer != "raw":
        return None
    return vendors.get(suite.relation.split(".", 1)[0].removeprefix("raw_"))


def _skipped(suite: SuiteFile, vendor: str):
    system = suite.relation.split(".", 1)[0].removeprefix("raw_")
    note = (
        f"not run: {system} is read from {vendor} (vendor tables, docs/sources.md), so "
        f"{suite.relation} is not loaded; the adapter's rows go through staging, quarantine "
        "and the mart checks, and vendor_row_conservation accounts for every vendor row"
    )
    for severity, name in (("error", f"ge_{suite.name}"), ("warning", f"ge_{suite.name}_warnings")):
        count = suite.error_count if severity == "error" else suite.warning_count
        if count:
            yield dg.AssetCheckResult(
                check_name=name,
                asset_key=dg.AssetKey(list(suite.asset)),
                passed=True,
                severity=dg.AssetCheckSeverity.ERROR
                if severity == "error"
                else dg.AssetCheckSeverity.WARN,
                description=note,
                metadata={"relation": suite.relation, "skipped": True, "read_from": vendor},
            )


def _run_suites(layer, con, vendors, previous, parameters, validator):
    """Every suite of ``layer`` (as quality.suites.run_layer), except raw suites of a system
    read from a vendor: those are returned apart, not run."""
    results, skipped = [], []
    for suite in load_suites(layer):
        vendor = _vendor_fed(suite, vendors)
        if vendor:
            skipped.append((suite, vendor))
            continue
        frame = con.execute(suite.query).df()
        relation_rows = con.execute(f"select count(*) from {suite.relation}").fetchone()[0]
        values = suite_parameters(suite, previous or {}, parameters or {})
        results.append(validator.validate(suite, frame, values, relation_rows))
    validator.build_docs()
    return results, skipped


def build_expectation_checks(layer: str, extra_parameters=None) -> dg.AssetChecksDefinition:
    suites = load_suites(layer)
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

    @dg.multi_asset_check(specs=specs, name=f"ge_{layer}_expectations", can_subset=False)
    def _checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
        quality = warehouse.run_quality_dir(context.run.run_id)
        docs = Path(warehouse.quality_dir) / "data_docs"
        validator = Validator(docs_dir=docs / layer)
        con = duckdb.connect(str(warehouse.database_path), read_only=True)
        try:
            parameters = dict(extra_parameters(con) if extra_parameters else {})
            results, skipped = _run_suites(
                layer,
                con,
                selected_vendors(),
                previous_state(warehouse.publish_path),
                parameters,
                validator,
            )
        finally:
            con.close()
        _write_results(quality / f"{layer}.json", results)
        write_docs_index(docs)
        for suite, vendor in skipped:
            context.log.info(f"{suite.relation}: not checked, {vendor} feeds it")
            yield from _skipped(suite, vendor)
        for outcome in results:
            for failed in outcome.failed("error"):
                context.log.error(f"check failed: {failed.describe()}")
            for failed in outcome.failed("warning"):
                context.log.warning(f"check warned: {failed.describe()}")
            yield from _results(outcome)

    return _checks


raw_expectations = build_expectation_checks("raw")
mart_expectations = build_expectation_checks("marts")

"""Publishing: the serving database and a release of snapshot and reports, after the gate."""

import dagster as dg
import duckdb

from alerting.evaluate import evaluate, write_alerts
from alerting.rules import RuleError, load_rules
from orchestration.assets.dbt import dbt_models
from orchestration.resources import WarehouseResource
from publishing.release import Publication
from publishing.snapshot import write_snapshot
from publishing.state import previous_headline, write_json, write_state
from publishing.summary import read_moves, write_summary
from quality.page import write_page
from quality.tables import expectation_rows, write_quality_tables
from report_site import PAGES_DIR, render_site

PUBLISHED_KEY = dg.AssetKey(["published", "warehouse"])

# Publishing waits for the whole dbt build (and so for every blocking check on it); what it
# copies to the serving database is the marts, metrics and reference schemas.
PUBLISHED_INPUTS = sorted(dbt_models.keys, key=lambda k: k.to_user_string())


def _check_rows(instance: dg.DagsterInstance, run_id: str) -> list[tuple]:
    """Every asset check evaluated in this run (dbt tests and Great Expectations suites)."""
    rows = []
    for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION):
        ev = record.dagster_event.event_specific_data
        source = "great_expectations" if ev.check_name.startswith("ge_") else "dbt"
        rows.append(
            (
                ev.asset_key.to_user_string(),
                ev.check_name,
                source,
                "error" if ev.severity == dg.AssetCheckSeverity.ERROR else "warning",
                bool(ev.passed),
                (ev.description or "")[:2000],
            )
        )
    return sorted(rows)


def _evaluate_alerts(context: dg.AssetExecutionContext, con) -> list[dict]:
    """The alerts of this release; a broken rule file is reported by the alerts asset's
    check and never stops a publication."""
    try:
        return evaluate(con, load_rules())
    except RuleError as exc:
        context.log.warning(f"alert rules not evaluated: {exc}")
        return []


@dg.asset(
    key=PUBLISHED_KEY,
    deps=PUBLISHED_INPUTS,
    group_name="published",
    kinds={"duckdb", "html"},
    description="The serving database (marts, metrics, reference and the run's check results) "
    "and a new release: headline snapshot (JSON, CSV), leadership summary (Markdown, HTML) "
    "and reports. Runs only when every blocking "
    "check upstream passed; otherwise the last good release stays in place.",
)
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    run_id = context.run.run_id
    quality_dir = warehouse.run_quality_dir(run_id)
    checks = _check_rows(context.instance, run_id)
    with Publication(
        warehouse.database_path, warehouse.serving_path, warehouse.publish_path, run_id
    ) as pub:
        write_quality_tables(pub.serving_staged, checks, expectation_rows(quality_dir))
        write_state(pub.release_dir, run_id, quality_dir)
        # every check of the run, readable offline, in the release (quality/page.py)
        write_page(quality_dir, pub.release_dir / "data_docs" / "index.html", run_id)
        summary = {
            "passed": sum(1 for c in checks if c[4]),
            "warned": sum(1 for c in checks if not c[4] and c[3] == "warning"),
            "failed": sum(1 for c in checks if not c[4] and c[3] == "error"),
        }
        # snapshot, summary and alerts come from the staged serving database: the data
        # being published
        con = duckdb.connect(str(pub.serving_staged), read_only=True)
        try:
            headline = write_snapshot(con, pub.release_dir / "snapshot")
            alerts = _evaluate_alerts(context, con)
            moves = read_moves(con)
        finally:
            con.close()
        write_alerts(pub.release_dir, pub.serving_staged, alerts)
        write_summary(
            pub.release_dir,
            headline,
            previous_headline(warehouse.publish_path),
            summary,
            moves,
        )
        # the reports read the staged serving database too
        pages = render_site(
            PAGES_DIR,
            pub.serving_staged,
            pub.release_dir / "reports",
            {"run_id": run_id, "checks": summary},
        )
        context.log.info(f"rendered {len(pages)} report pages")
        write_json(
            pub.release_dir / "release.json",
            {
                "run_id": run_id,
                "serving_database": str(warehouse.serving_path),
                "tables": pub.counts,
                "checks": summary,
                "reports": [str(p.relative_to(pub.release_dir)) for p in pages],
            },
        )
        release = pub.commit()
    context.log.info(f"published {release} and {warehouse.serving_path}")
    return dg.MaterializeResult(
        metadata={
            "release": dg.MetadataValue.path(str(release)),
            "serving_database": dg.MetadataValue.path(str(warehouse.serving_path)),
            "tables": len(pub.counts),
            "checks": len(checks),
        }
    )

"""Alerts: after each publish, deliver the release's alerts to the webhooks their rules name.

The rules (alerts/rules/*.yml) are evaluated while the release is prepared, so `alerts.json`
and the report section are part of the release; this asset only delivers, and its checks say
whether the rules were valid and every delivery went through. Nothing here can block or undo
a publication."""

import json

import dagster as dg

from alerting.deliver import deliver
from alerting.rules import RuleError, load_rules
from orchestration.assets.publish import PUBLISHED_KEY
from orchestration.resources import WarehouseResource
from publishing.state import current_release

ALERTS_KEY = dg.AssetKey(["published", "alerts"])
DELIVERY_LOG = "alert_deliveries.jsonl"


@dg.asset(
    key=ALERTS_KEY,
    deps=[PUBLISHED_KEY],
    group_name="published",
    kinds={"python"},
    description="Delivers the alerts of the release just published (alerts.json, raised by "
    "the rules in alerts/rules/) to the webhooks named by the rules' environment variables: "
    "one message per destination and release, retried on transient failures, logged in "
    "<publish>/alert_deliveries.jsonl.",
    check_specs=[
        dg.AssetCheckSpec(
            "alert_rules_valid",
            asset=ALERTS_KEY,
            description="Every rule file in alerts/rules/ parses (metric, cut, direction ...).",
        ),
        dg.AssetCheckSpec(
            "alert_deliveries_succeeded",
            asset=ALERTS_KEY,
            description="Every destination of this release's alerts received them (a failure "
            "is shown here and in the delivery log; it never blocks publishing).",
        ),
    ],
)
def alert_deliveries(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    try:
        rules = load_rules()
        rule_problem = ""
    except RuleError as exc:
        rules, rule_problem = [], str(exc)
    release = current_release(warehouse.publish_path)
    path = release / "alerts.json" if release else None
    alerts = json.loads(path.read_text())["alerts"] if path and path.exists() else []
    deliveries = deliver(
        release.name if release else "none", alerts, warehouse.publish_path / DELIVERY_LOG
    )
    # a destination whose variable is unset is not configured here: skipped, not failed
    failed = [d for d in deliveries if d.status == "failed"]
    for d in deliveries:
        log = context.log.warning if d in failed else context.log.info
        log(f"alerts to {d.destination} ({d.format}): {d.status} {d.error}".rstrip())
    yield dg.MaterializeResult(
        metadata={
            "alerts": len(alerts),
            "rules": len(rules),
            "deliveries": dg.MetadataValue.json([d.__dict__ for d in deliveries]),
        }
    )
    yield dg.AssetCheckResult(
        check_name="alert_rules_valid",
        passed=not rule_problem,
        severity=dg.AssetCheckSeverity.WARN,
        description=rule_problem or f"{len(rules)} rule(s) valid",
    )
    yield dg.AssetCheckResult(
        check_name="alert_deliveries_succeeded",
        passed=not failed,
        severity=dg.AssetCheckSeverity.WARN,
        description="; ".join(f"{d.destination}: {d.error or d.status}" for d in failed)
        or f"{len(deliveries)} delivery(ies), none failed",
    )

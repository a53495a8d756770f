"""Evaluate alert rules on a release's metric marts (`metrics.metric_changes`).

Rules look at the latest month of the release (the month that holds the as-of date) and
raise one alert per matching cut. The result is written into the release (`alerts.json`) and
into the serving database (`metrics.alerts`, for the report section and BI tools).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

from alerting.rules import Rule

METRIC_LABELS = {
    "nps": ("NPS", "points"),
    "csat": ("CSAT", "points"),
    "ces": ("CES", "points on the 1-7 scale"),
    "fcr_rate": ("First-contact resolution", "points"),
    "repeat_contact_rate": ("Repeat-contact rate", "points"),
    "one_touch_rate": ("One-touch rate", "points"),
}
# column: (type, description); the descriptions become column comments for BI tools
ALERT_COLUMNS: dict[str, tuple[str, str]] = {
    "alert_id": ("varchar", "Key: <rule>:<metric_changes.change_id>."),
    "rule": ("varchar", "The rule that raised the alert (alerts/rules/<rule>.yml)."),
    "severity": ("varchar", "critical, warning or info, from the rule."),
    "metric": ("varchar", "The metric that moved (semantic-layer name)."),
    "dimension": ("varchar", "The cut: overall, channel, touchpoint, tier ..."),
    "dimension_value": ("varchar", "The value of the cut (a code)."),
    "dimension_label": ("varchar", "The value of the cut in words."),
    "period": ("varchar", "The month of the move (YYYY-MM)."),
    "comparison": ("varchar", "previous_month or previous_year."),
    "base_period": ("varchar", "The month compared with (YYYY-MM)."),
    "metric_value": ("double", "The metric in the month."),
    "base_value": ("double", "The metric in the compared month."),
    "change": ("double", "metric_value - base_value, in the metric's unit."),
    "sample_size": ("bigint", "Observations behind metric_value."),
    "base_sample_size": ("bigint", "Observations behind base_value."),
    "p_value": ("double", "Two-sided p-value of the test fit for the metric."),
    "q_value": ("double", "Benjamini-Hochberg adjusted p-value (false-discovery rate)."),
    "assessment": ("varchar", "significant_rise, significant_fall or within_noise."),
    "message": ("varchar", "The alert in one sentence, as delivered."),
}


def _labels(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    """Names of codes, from the conformed marts when they are there."""
    labels: dict[tuple[str, str], str] = {}
    for dimension, sql in (
        ("channel", "select channel, channel_name from marts.channels"),
        ("touchpoint", "select touchpoint_code, touchpoint_name from marts.touchpoints"),
    ):
        try:
            for code, name in con.execute(sql).fetchall():
                labels[(dimension, code)] = name
        except duckdb.Error:
            continue
    return labels


def _label(labels: dict, dimension: str, value: str) -> str:
    if dimension == "overall":
        return "all customers"
    return labels.get((dimension, value)) or value.replace("_", " ")


def _matches(rule: Rule, row: dict[str, Any]) -> bool:
    if row["comparison"] != rule.comparison or row["dimension"] != rule.cut:
        return False
    if rule.values and row["dimension_value"].lower() not in rule.values:
        return False
    if not row["is_tested"]:
        return False  # too few observations or a warm-up month: never a rise or a fall
    if rule.min_sample and min(row["sample_size"], row["base_sample_size"]) < rule.min_sample:
        return False
    if rule.significant and not row["is_significant"]:
        return False
    change = row["change"] or 0.0
    if rule.min_change is not None and abs(change) < rule.min_change:
        return False
    worse = bool(row["is_significant_deterioration"]) if rule.significant else (
        change != 0 and (change > 0) != row["higher_is_better"]
    )  # fmt: skip
    better = bool(row["is_significant_improvement"]) if rule.significant else (
        change != 0 and (change > 0) == row["higher_is_better"]
    )  # fmt: skip
    return {
        "worse": worse,
        "better": better,
        "up": change > 0,
        "down": change < 0,
        "any": change != 0,
    }[rule.direction]


def describe(row: dict[str, Any], label: str) -> str:
    """One sentence a leader reads without a glossary."""
    name, unit = METRIC_LABELS[row["metric"]]
    verb = "rose" if row["change"] > 0 else "fell"
    when = "the month before" if row["comparison"] == "previous_month" else "a year before"
    cut = row["dimension"].replace("_", " ")
    where = "" if row["dimension"] == "overall" else f" ({cut}: {label})"
    significance = (
        f"significant, p = {row['p_value']:.2g}"
        if row["is_significant"]
        else f"within noise, p = {row['p_value']:.2g}"
    )
    return (
        f"{name}{where} {verb} from {row['base_value']:.1f} in {row['base_period']} to "
        f"{row['metric_value']:.1f} in {row['period']} ({row['change']:+.1f} {unit} against "
        f"{when}; {significance}; {row['sample_size']:,} vs {row['base_sample_size']:,} "
        "observations)."
    )


def evaluate(con: duckdb.DuckDBPyConnection, rules: list[Rule]) -> list[dict[str, Any]]:
    """The alerts the rules raise on the latest month of `metrics.metric_changes`."""
    cursor = con.execute(
        "select * from metrics.metric_changes "
        "where period = (select max(period) from metrics.metric_changes) "
        "order by metric, comparison, dimension, dimension_value"
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    labels = _labels(con)
    alerts = []
    for rule in rules:
        for row in rows:
            if row["metric"] != rule.metric or not _matches(rule, row):
                continue
            label = _label(labels, row["dimension"], row["dimension_value"])
            alerts.append(
                {
                    "alert_id": f"{rule.name}:{row['change_id']}",
                    "rule": rule.name,
                    "severity": rule.severity,
                    "metric": row["metric"],
                    "dimension": row["dimension"],
                    "dimension_value": row["dimension_value"],
                    "dimension_label": label,
                    "period": row["period"],
                    "comparison": row["comparison"],
                    "base_period": row["base_period"],
                    "metric_value": row["metric_value"],
                    "base_value": row["base_value"],
                    "change": row["change"],
                    "sample_size": row["sample_size"],
                    "base_sample_size": row["base_sample_size"],
                    "p_value": row["p_value"],
                    "q_value": row["q_value"],
                    "assessment": row["assessment"],
                    "message": describe(row, label),
                    "send_to": [{"env": d.env, "format": d.format} for d in rule.send_to],
                }
            )
    order = {"critical": 0, "warning": 1, "info": 2}
    return sorted(alerts, key=lambda a: (order[a["severity"]], a["rule"], a["alert_id"]))


def write_alerts(release_dir: Path, database: Path, alerts: list[dict[str, Any]]) -> None:
    """Put the alerts into a release being prepared: `alerts.json` and `metrics.alerts`."""
    payload = {"alerts": alerts, "count": len(alerts)}
    (release_dir / "alerts.json").write_text(json.dumps(payload, indent=2, default=str) + "\n")
    con = duckdb.connect(str(database))
    try:
        con.execute("create schema if not exists metrics")
        ddl = ", ".join(f"{c} {t}" for c, (t, _) in ALERT_COLUMNS.items())
        con.execute(f"create or replace table metrics.alerts ({ddl})")
        for column, (_, text) in ALERT_COLUMNS.items():
            quoted = text.replace("'", "''")
            con.execute(f"comment on column metrics.alerts.{column} is '{quoted}'")
        con.execute(
            "comment on table metrics.alerts is 'One row per alert raised by the rules in "
            "alerts/rules/ on the latest month of metrics.metric_changes for this release.'"
        )
        if alerts:
            marks = ", ".join("?" for _ in ALERT_COLUMNS)
            con.executemany(
                f"insert into metrics.alerts values ({marks})",
                [[a[c] for c in ALERT_COLUMNS] for a in alerts],
            )
        con.execute("checkpoint")
    finally:
        con.close()

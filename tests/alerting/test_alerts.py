"""Alert rules: parsing, evaluation on hand-made metric_changes rows, and delivery to a
webhook receiver on 127.0.0.1 (retries, the delivery log, no duplicate per release)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from alerting.deliver import deliver, read_log
from alerting.evaluate import evaluate, write_alerts
from alerting.rules import RULES_DIR, RuleError, load_rules, parse_rule


def _rule(tmp_path: Path, text: str, name: str = "rule.yml") -> Path:
    path = tmp_path / "rules" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return path


CSAT_RULE = """
metric: csat
cut: channel
direction: worse
min_sample: 50
severity: critical
send_to:
  - env: TEST_HOOK_SLACK
    format: slack
  - env: TEST_HOOK_JSON
    format: json
"""


def test_the_shipped_rules_load():
    rules = load_rules(RULES_DIR)
    assert rules and all(r.send_to for r in rules)
    assert {r.metric for r in rules} <= {
        "nps",
        "csat",
        "ces",
        "fcr_rate",
        "repeat_contact_rate",
        "one_touch_rate",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("metric: happiness\n", "metric is 'happiness'"),
        ("metric: csat\ncomparison: last_week\n", "comparison is 'last_week'"),
        (
            "metric: csat\nsend_to: [{env: 'https://hooks.example/x'}]\n",
            "NAME of an environment variable",
        ),
        ("metric: csat\nthreshold: 3\n", "unknown field(s) threshold"),
        ("cut: channel\n", "metric is missing"),
        ("metric: csat\nmin_sample: many\n", "min_sample must be a number"),
    ],
)
def test_a_bad_rule_file_is_named_with_its_field(tmp_path, text, message):
    path = _rule(tmp_path, text)
    with pytest.raises(RuleError) as caught:
        parse_rule(path)
    assert str(path) in str(caught.value) and message in str(caught.value)


def test_a_real_drop_alerts_and_noise_does_not(tmp_path, serving):
    rules = load_rules(_rule(tmp_path, CSAT_RULE).parent)
    con = duckdb.connect(str(serving), read_only=True)
    alerts = evaluate(con, rules)
    con.close()
    # chat fell 22 points, significant: an alert. email fell 3 points within noise, social
    # has 12 answers (not tested), phone's drop is an older month: no alert for them.
    assert [a["dimension_value"] for a in alerts] == ["chat"]
    alert = alerts[0]
    assert alert["severity"] == "critical" and alert["change"] == pytest.approx(-22.0)
    assert "CSAT (channel: Chat) fell from 83.0 in 2026-09 to 61.0 in 2026-10" in alert["message"]
    assert "significant" in alert["message"]


def test_direction_follows_what_is_better(tmp_path, serving):
    worse = load_rules(_rule(tmp_path, "metric: repeat_contact_rate\ncut: category\n").parent)
    con = duckdb.connect(str(serving), read_only=True)
    assert [a["dimension_value"] for a in evaluate(con, worse)] == ["billing"]
    better = _rule(tmp_path, "metric: repeat_contact_rate\ncut: category\ndirection: better\n")
    assert evaluate(con, [parse_rule(better)]) == []
    noise = _rule(tmp_path, "metric: nps\ndirection: any\n", "nps.yml")
    assert evaluate(con, [parse_rule(noise)]) == []  # +1 point, q = 0.8: never an alert
    con.close()


def test_alerts_are_written_into_the_release(tmp_path, serving):
    rules = load_rules(_rule(tmp_path, CSAT_RULE).parent)
    con = duckdb.connect(str(serving), read_only=True)
    alerts = evaluate(con, rules)
    con.close()
    release = tmp_path / "release"
    release.mkdir()
    write_alerts(release, serving, alerts)
    payload = json.loads((release / "alerts.json").read_text())
    assert payload["count"] == 1 and payload["alerts"][0]["rule"] == "rule"
    con = duckdb.connect(str(serving), read_only=True)
    assert con.execute("select dimension_value from metrics.alerts").fetchall() == [("chat",)]
    missing = con.execute(
        "select count(*) from duckdb_columns() where table_name = 'alerts' "
        "and coalesce(comment, '') = ''"
    ).fetchone()[0]
    con.close()
    assert missing == 0


def _alerts(tmp_path, serving):
    rules = load_rules(_rule(tmp_path, CSAT_RULE).parent)
    con = duckdb.connect(str(serving), read_only=True)
    try:
        return evaluate(con, rules)
    finally:
        con.close()


def test_delivery_posts_once_per_destination_and_release(tmp_path, serving, receiver):
    alerts = _alerts(tmp_path, serving)
    env = {"TEST_HOOK_SLACK": receiver.url + "/slack", "TEST_HOOK_JSON": receiver.url + "/json"}
    log = tmp_path / "deliveries.jsonl"
    first = deliver("R1", alerts, log, env=env, backoff_seconds=0)
    assert sorted(d.status for d in first) == ["delivered", "delivered"]
    by_path = {r["path"]: r["body"] for r in receiver.requests}
    assert by_path["/slack"]["text"].startswith("*CX warehouse: 1 alert(s) in release R1*")
    assert "CSAT (channel: Chat) fell" in by_path["/slack"]["text"]
    assert by_path["/json"]["release"] == "R1"
    assert by_path["/json"]["alerts"][0]["dimension_value"] == "chat"
    # the same release again: nothing is sent twice
    again = deliver("R1", alerts, log, env=env, backoff_seconds=0)
    assert {d.status for d in again} == {"already_delivered"} and len(receiver.requests) == 2
    # the log names destinations by their variable, never by address
    assert receiver.url not in log.read_text()
    assert {r["destination"] for r in read_log(log)} == {"TEST_HOOK_SLACK", "TEST_HOOK_JSON"}


def test_transient_failures_are_retried_and_refusals_are_not(tmp_path, serving, receiver):
    alerts = _alerts(tmp_path, serving)
    log = tmp_path / "deliveries.jsonl"
    receiver.statuses = [503, 502]  # two failures, then 200
    env = {"TEST_HOOK_SLACK": receiver.url, "TEST_HOOK_JSON": ""}
    results = {d.destination: d for d in deliver("R2", alerts, log, env=env, backoff_seconds=0)}
    assert results["TEST_HOOK_SLACK"].status == "delivered"
    assert results["TEST_HOOK_SLACK"].attempts == 3
    assert results["TEST_HOOK_JSON"].status == "not_configured"
    assert "TEST_HOOK_JSON is not set" in results["TEST_HOOK_JSON"].error
    receiver.statuses = [400]
    refused = deliver("R3", alerts, log, env={"TEST_HOOK_SLACK": receiver.url}, backoff_seconds=0)
    slack = next(d for d in refused if d.destination == "TEST_HOOK_SLACK")
    assert slack.status == "failed" and slack.attempts == 1 and slack.http_status == 400


def test_an_unreachable_webhook_fails_without_raising(tmp_path, serving, receiver):
    alerts = _alerts(tmp_path, serving)
    url = receiver.url
    receiver.close()  # nothing listens there any more
    results = deliver(
        "R4", alerts, tmp_path / "log.jsonl", env={"TEST_HOOK_SLACK": url}, attempts=2,
        backoff_seconds=0, timeout=2,
    )  # fmt: skip
    slack = next(d for d in results if d.destination == "TEST_HOOK_SLACK")
    assert slack.status == "failed" and slack.attempts == 2
    assert "cannot reach the webhook" in slack.error

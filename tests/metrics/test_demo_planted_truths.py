"""On generated demo data, the metric marts find the planted truths (docs/demo_data.md):
billing is the top vital-few hotspot by revenue at risk, social, the low-CSAT channel,
drives channel consistency, and the last month's planted CSAT drop is significant and alerts
while the planted wobble is within noise and does not. Built once for the module at 3,000
accounts (enough answers per channel and month to test) through the real pipeline (generate
-> load_landing -> dbt)."""

from __future__ import annotations

import pytest

from demo_data.generator import PLANTED, generate

pytestmark = pytest.mark.slow

DEMO_ACCOUNTS = 3_000


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, warehouse_builder):
    workdir = tmp_path_factory.mktemp("metrics-demo")
    landing = workdir / "landing"
    generate(landing, accounts=DEMO_ACCOUNTS, seed=42)
    # the default as-of date: the latest valid event (the generator's end date)
    # seeds and the models the metric marts need; their tests run in the golden build
    return warehouse_builder(
        landing,
        workdir,
        {},
        "build",
        "--select",
        "+path:models/marts/metrics",
        "--resource-type",
        "seed",
        "--resource-type",
        "model",
    )


def test_billing_is_the_top_vital_few_hotspot_by_revenue_at_risk(demo):
    hotspots = demo.rows("select * from metrics.hotspots order by hotspot_rank")
    vital_few = [h for h in hotspots if h["is_vital_few"]]
    by_revenue = sorted(vital_few, key=lambda h: h["revenue_at_risk"], reverse=True)
    assert by_revenue[0]["touchpoint_code"] == PLANTED.hotspot_touchpoint == "billing"
    # and it is the hotspot ranked 1 by irritations, with most of them
    assert hotspots[0]["touchpoint_code"] == "billing"
    assert hotspots[0]["cumulative_share"] > 50
    assert max(h["revenue_at_risk"] for h in hotspots) == hotspots[0]["revenue_at_risk"]
    headline = demo.one("select * from metrics.headline")
    assert headline["top_hotspot_code"] == "billing"


def test_social_drives_channel_consistency(demo):
    whole = demo.one("select * from metrics.channel_consistency where period = 'all'")
    assert whole["lowest_csat_channel"] == PLANTED.low_csat_channel == "social"
    assert whole["channels_compared"] >= 5
    # social is far below every other channel: remove it and the spread shrinks a lot
    channels = demo.rows(
        "select dimension_value as channel, csat from metrics.cx_scores "
        "where period = 'all' and dimension = 'channel' and not csat_low_sample "
        "and dimension_value <> 'unknown'"
    )
    others = [c["csat"] for c in channels if c["channel"] != "social"]
    assert whole["min_csat"] < min(others) - 10
    assert max(others) - min(others) < whole["csat_spread"] / 2


def _last_month_csat(demo, channel: str) -> dict:
    return demo.one(
        "select * from metrics.metric_changes where metric = 'csat' and dimension = 'channel' "
        "and comparison = 'previous_month' and dimension_value = ? "
        "and period = (select max(period) from metrics.metric_changes)",
        [channel],
    )


def test_the_planted_drop_is_significant_and_the_wobble_is_noise(demo):
    drop = _last_month_csat(demo, PLANTED.csat_drop_channel)
    assert drop["is_tested"] and drop["is_significant"]
    assert drop["assessment"] == "significant_fall" and drop["is_significant_deterioration"]
    assert drop["change"] < -20
    wobble = _last_month_csat(demo, PLANTED.csat_wobble_channel)
    assert wobble["is_tested"], "the wobble channel must have enough answers to be tested"
    assert not wobble["is_significant"] and wobble["assessment"] == "within_noise"


def test_the_planted_drop_alerts_and_the_wobble_does_not(demo):
    import duckdb

    from alerting.evaluate import evaluate
    from alerting.rules import load_rules

    con = duckdb.connect(str(demo.database), read_only=True)
    try:
        alerts = evaluate(con, load_rules())
    finally:
        con.close()
    csat_channels = {
        a["dimension_value"]
        for a in alerts
        if a["metric"] == "csat" and a["dimension"] == "channel"
    }
    assert PLANTED.csat_drop_channel in csat_channels
    assert PLANTED.csat_wobble_channel not in csat_channels
    drop = next(a for a in alerts if a["dimension_value"] == PLANTED.csat_drop_channel)
    assert drop["severity"] == "critical" and "significant" in drop["message"]

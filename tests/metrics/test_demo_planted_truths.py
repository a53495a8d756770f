"""On generated demo data, the metric marts find the planted truths (docs/demo_data.md):
billing is the top vital-few hotspot by revenue at risk, and social, the low-CSAT channel,
drives channel consistency. Built once for the module at 1,500 accounts through the real
pipeline (generate -> load_landing -> dbt)."""

from __future__ import annotations

import pytest

from demo_data.generator import PLANTED, generate

pytestmark = pytest.mark.slow

DEMO_ACCOUNTS = 1_500


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

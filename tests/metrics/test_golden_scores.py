"""Golden tests of the survey metrics (cx_scores, voc_factors, channel_consistency) on the
handwritten fixture tests/fixtures/metrics (see its README). Every expected figure is worked
out by hand below; as_of_date 2026-03-31, min_sample 2."""

from __future__ import annotations

import math

import pytest

pytestmark = pytest.mark.slow

Z = 1.96


def cell(golden, period: str, dimension: str, value: str) -> dict:
    return golden.one(
        "select * from metrics.cx_scores where period = ? and dimension = ? "
        "and dimension_value = ?",
        [period, dimension, value],
    )


def test_nps_overall_with_margin_of_error(golden):
    # nps answers: R1 10, R2 3, R3 6, R4 8, R5 9 (R5: the unmatched Ghost, counted too)
    # promoters (>= 9): R1, R5 = 2; passives (7-8): R4 = 1; detractors (<= 6): R2, R3 = 2
    # nps = 100 * (2 - 2) / 5 = 0
    # p = d = 2/5 = 0.4: moe = 196 * sqrt((0.4 + 0.4 - (0.4 - 0.4)^2) / 5)
    #                        = 196 * sqrt(0.16) = 196 * 0.4 = 78.4
    row = cell(golden, "all", "overall", "all")
    assert (row["nps_answers"], row["promoters"], row["passives"], row["detractors"]) == (
        5,
        2,
        1,
        2,
    )
    assert row["nps"] == pytest.approx(0.0)
    assert row["nps_moe"] == pytest.approx(78.4)
    assert row["nps_low_sample"] is False
    assert row["period_start"].isoformat() == "2025-01-01"  # the window opens with O1


def test_nps_by_month_and_the_low_sample_cell(golden):
    # 2026-01: R1 10 -> 1 promoter of 1: nps 100; p = 1, d = 0: moe = 196 * sqrt((1 - 1) / 1)
    #          = 0; 1 answer < min_sample 2 -> low_sample (the figure is still given)
    # 2026-02: R2 3, R3 6 -> 2 detractors of 2: nps -100, moe 0, not low_sample
    # 2026-03: R4 8, R5 9 -> 1 promoter, 1 passive: nps = 100 * (1 - 0) / 2 = 50
    #          p = 0.5, d = 0: moe = 196 * sqrt((0.5 - 0.25) / 2) = 196 * sqrt(0.125) = 69.2965
    jan = cell(golden, "2026-01", "overall", "all")
    feb = cell(golden, "2026-02", "overall", "all")
    mar = cell(golden, "2026-03", "overall", "all")
    assert (jan["nps"], jan["nps_moe"], jan["nps_low_sample"]) == (100.0, 0.0, True)
    assert (feb["nps"], feb["nps_moe"], feb["nps_low_sample"]) == (-100.0, 0.0, False)
    assert mar["nps"] == pytest.approx(50.0)
    assert mar["nps_moe"] == pytest.approx(196 * math.sqrt(0.125))
    assert mar["nps_moe"] == pytest.approx(69.2965, abs=1e-4)
    assert mar["nps_low_sample"] is False
    # months without any nps, csat or ces answer have no row (2025-06: only an order)
    assert golden.rows("select * from metrics.cx_scores where period = '2025-06'") == []


def test_csat_with_wilson_interval(golden):
    # csat answers: R6 5, R7 2, R8 4, R9 1, R10 3, R11 5, R12 4 -> n = 7
    # satisfied (>= 4): R6, R8, R11, R12 = 4 -> csat = 100 * 4 / 7 = 57.142857
    # Wilson, z = 1.96, z^2 = 3.8416, p = 4/7 = 0.5714286:
    #   denominator 1 + z^2/n = 1 + 0.5488 = 1.5488
    #   centre p + z^2/(2n) = 0.5714286 + 0.2744 = 0.8458286
    #   spread z * sqrt(p(1-p)/n + z^2/(4n^2)) = 1.96 * sqrt(0.0349854 + 0.0196)
    #          = 1.96 * 0.2336352 = 0.4579250
    #   low = (0.8458286 - 0.4579250) / 1.5488 = 0.2504542 -> 25.0454 %
    #   high = (0.8458286 + 0.4579250) / 1.5488 = 0.8417831 -> 84.1783 %
    row = cell(golden, "all", "overall", "all")
    assert (row["csat_answers"], row["csat_satisfied"]) == (7, 4)
    assert row["csat"] == pytest.approx(400 / 7)
    assert row["csat_ci_low"] == pytest.approx(25.0454, abs=1e-4)
    assert row["csat_ci_high"] == pytest.approx(84.1783, abs=1e-4)
    n, p = 7, 4 / 7
    centre, spread = p + Z**2 / (2 * n), Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2))
    assert row["csat_ci_low"] == pytest.approx(100 * (centre - spread) / (1 + Z**2 / n))


def test_wilson_interval_at_zero_successes_and_low_sample(golden):
    # social: R9 csat 1 -> 0 of 1 satisfied: csat 0, low_sample (1 < 2)
    # Wilson at p = 0, n = 1: low = 0 exactly; high = (z^2/2 + z * sqrt(z^2/4)) / (1 + z^2)
    #   = (1.9208 + 1.96 * 0.98) / 4.8416 = 3.8416 / 4.8416 = 0.7934567 -> 79.3457 %
    row = cell(golden, "all", "channel", "social")
    assert (row["csat_answers"], row["csat"], row["csat_low_sample"]) == (1, 0.0, True)
    assert row["csat_ci_low"] == 0.0
    assert row["csat_ci_high"] == pytest.approx(100 * 3.8416 / 4.8416)


def test_ces_and_percent_easy(golden):
    # ces answers: R6 7, R7 2, R8 5, R9 1, R10 4, R12 6 (R11 has no ces) -> n = 6
    # ces = (7 + 2 + 5 + 1 + 4 + 6) / 6 = 25 / 6 = 4.1667
    # easy (>= 5): 7, 5, 6 = 3 -> ces_easy_pct = 100 * 3 / 6 = 50
    row = cell(golden, "all", "overall", "all")
    assert row["ces_answers"] == 6
    assert row["ces"] == pytest.approx(25 / 6)
    assert (row["ces_easy"], row["ces_easy_pct"]) == (3, 50.0)
    # chat: R7 ces 2 only (R11 answered csat alone) -> 1 answer, 0 easy, low_sample
    chat = cell(golden, "all", "channel", "chat")
    assert (chat["ces_answers"], chat["ces"], chat["ces_easy_pct"], chat["ces_low_sample"]) == (
        1,
        2.0,
        0.0,
        True,
    )


def test_empty_cell_has_null_figures_not_zero(golden):
    # the delivery touchpoint has csat and ces answers (R6, R8, R9) but no nps answer:
    # its nps cell is empty -> 0 answers, NULL nps and moe, low_sample
    delivery = cell(golden, "all", "touchpoint", "delivery")
    assert delivery["nps_answers"] == 0
    assert delivery["nps"] is None and delivery["nps_moe"] is None
    assert delivery["nps_low_sample"] is True
    # csat 4 of ... R6 5, R8 4, R9 1 -> 2 of 3 = 66.67
    assert delivery["csat"] == pytest.approx(200 / 3)
    # and the relationship touchpoint has nps but no csat / ces
    relationship = cell(golden, "all", "touchpoint", "relationship")
    assert relationship["csat"] is None and relationship["ces"] is None
    assert relationship["nps_answers"] == 5


def test_cuts_by_tier_segment_and_unmatched(golden):
    # strategic (A1): nps R1 10, R2 3 -> 1 promoter, 1 detractor of 2: nps 0
    #   p = d = 0.5: moe = 196 * sqrt((1 - 0) / 2) = 196 * 0.7071068 = 138.5929
    strategic = cell(golden, "all", "tier", "strategic")
    assert strategic["nps"] == pytest.approx(0.0)
    assert strategic["nps_moe"] == pytest.approx(196 * math.sqrt(0.5))
    # enterprise is the same account
    assert cell(golden, "all", "segment", "enterprise")["nps_answers"] == 2
    # unmatched people (Ghost R5 nps 9, Stranger R9 csat 1) keep their own cut
    unmatched = cell(golden, "all", "tier", "unmatched")
    assert (unmatched["nps_answers"], unmatched["nps"]) == (1, 100.0)
    assert (unmatched["csat_answers"], unmatched["csat"]) == (1, 0.0)
    # journey stage: every survey of the fixture is after_purchase
    stages = golden.rows(
        "select dimension_value from metrics.cx_scores "
        "where period = 'all' and dimension = 'journey_stage'"
    )
    assert [r["dimension_value"] for r in stages] == ["after_purchase"]


def test_expectation_gap_and_grand_means(golden):
    # product_service importance: R1 5, R2 5, R3 4, R4 3 -> 17 / 4 = 4.25
    #                 performance: R1 5, R2 2, R3 3, R4 4 -> 14 / 4 = 3.50 -> gap 0.75
    # interaction importance: R1 4, R2 5, R3 5, R4 4, R5 4 -> 22 / 5 = 4.40
    #             performance: R1 2, R2 1, R4 3, R5 4 -> 10 / 4 = 2.50 -> gap 1.90
    # grand means (all answers): importance (17 + 22) / 9 = 4.3333; performance 24 / 8 = 3.0
    factors = {r["factor"]: r for r in golden.rows("select * from metrics.voc_factors")}
    assert set(factors) == {"product_service", "interaction"}
    ps, inter = factors["product_service"], factors["interaction"]
    assert (ps["avg_importance"], ps["avg_performance"]) == (4.25, 3.5)
    assert ps["expectation_gap"] == pytest.approx(0.75)
    assert inter["avg_importance"] == pytest.approx(4.4)
    assert inter["expectation_gap"] == pytest.approx(1.9)
    for row in factors.values():
        assert row["grand_mean_importance"] == pytest.approx(39 / 9)
        assert row["grand_mean_performance"] == pytest.approx(3.0)
    # quadrants: product_service importance 4.25 < 4.33, performance 3.5 >= 3.0
    #            interaction importance 4.4 >= 4.33, performance 2.5 < 3.0
    assert ps["ipa_quadrant"] == "possible_overkill"
    assert inter["ipa_quadrant"] == "concentrate_here"


def test_driver_strength_is_pearson_over_responses_with_both(golden):
    # product_service (performance, nps): R1 (5, 10), R2 (2, 3), R3 (3, 6), R4 (4, 8);
    #   R5 has no product_service answer -> 4 pairs
    #   mean x = 3.5, mean y = 6.75; dx = 1.5, -1.5, -0.5, 0.5; dy = 3.25, -3.75, -0.75, 1.25
    #   sum dx*dy = 4.875 + 5.625 + 0.375 + 0.625 = 11.5
    #   sum dx^2 = 5; sum dy^2 = 10.5625 + 14.0625 + 0.5625 + 1.5625 = 26.75
    #   r = 11.5 / sqrt(5 * 26.75) = 11.5 / 11.5650 = 0.99437
    # interaction: R1 (2, 10), R2 (1, 3), R4 (3, 8), R5 (4, 9); R3 has no performance answer
    #   mean x = 2.5, mean y = 7.5; dx = -0.5, -1.5, 0.5, 1.5; dy = 2.5, -4.5, 0.5, 1.5
    #   sum dx*dy = -1.25 + 6.75 + 0.25 + 2.25 = 8; sum dx^2 = 5; sum dy^2 = 29
    #   r = 8 / sqrt(145) = 0.66436
    factors = {r["factor"]: r for r in golden.rows("select * from metrics.voc_factors")}
    assert factors["product_service"]["driver_responses"] == 4
    assert factors["product_service"]["driver_strength"] == pytest.approx(11.5 / math.sqrt(133.75))
    assert factors["interaction"]["driver_responses"] == 4
    assert factors["interaction"]["driver_strength"] == pytest.approx(8 / math.sqrt(145))


def test_channel_consistency(golden):
    # all: email R6 5, R10 3, R12 4 -> 2 of 3 = 66.667; chat R7 2, R11 5 -> 1 of 2 = 50
    #      phone (R8) and social (R9) have 1 answer each: low_sample, left out
    #      spread = 66.667 - 50 = 16.667; highest email, lowest chat
    whole = golden.one("select * from metrics.channel_consistency where period = 'all'")
    assert whole["channels_compared"] == 2
    assert whole["csat_spread"] == pytest.approx(200 / 3 - 50)
    assert (whole["highest_csat_channel"], whole["lowest_csat_channel"]) == ("email", "chat")
    # 2026-03: email R6 5, R10 3 -> 50 (2 answers); chat R11 and social R9 alone: low sample
    #          -> one channel to compare: no spread
    march = golden.one("select * from metrics.channel_consistency where period = '2026-03'")
    assert march["channels_compared"] == 1
    assert march["csat_spread"] is None
    # an empty month still has its row
    june = golden.one("select * from metrics.channel_consistency where period = '2025-06'")
    assert (june["channels_compared"], june["csat_spread"]) == (0, None)

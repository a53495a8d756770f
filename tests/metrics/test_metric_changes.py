"""metric_changes (which monthly moves are real) against a plain-Python reference.

The reference takes the monthly cells of cx_scores and repeat_contact_metrics (their figures
are golden-tested elsewhere) and recomputes every comparison on its own: the tests with
`math.erfc` and SciPy's exact t distribution, Benjamini-Hochberg by its textbook definition.
One NPS pair of the golden fixture is also worked out by hand.
"""

from __future__ import annotations

import math
from collections import defaultdict

import pytest
from scipy import stats

ALPHA = 0.05
COMPARISONS = {"previous_month": 1, "previous_year": 12}
RATES = {
    # metric: (successes, sample, higher_is_better)
    "fcr_rate": ("fcr_episodes", "solved_episodes", True),
    "repeat_contact_rate": ("repeat_contact_tickets", "tickets", False),
    "one_touch_rate": ("one_touch_tickets", "solved_tickets", True),
}


def _month_index(period: str) -> int:
    year, month = period.split("-")
    return int(year) * 12 + int(month)


def _cells(golden) -> dict[tuple, dict]:
    """(period, dimension, dimension_value, metric) -> figures the tests need."""
    cells = {}
    for row in golden.rows("select * from metrics.cx_scores where period <> 'all'"):
        cut = (row["period"], row["dimension"], row["dimension_value"])
        if row["nps_answers"]:
            n = row["nps_answers"]
            p, d = row["promoters"] / n, row["detractors"] / n
            cells[(*cut, "nps")] = {
                "value": 100 * (p - d),
                "n": n,
                "variance": 10000 * (p + d - (p - d) ** 2),
            }
        if row["csat_answers"]:
            cells[(*cut, "csat")] = {
                "value": row["csat"],
                "n": row["csat_answers"],
                "successes": row["csat_satisfied"],
            }
        if row["ces_answers"]:
            cells[(*cut, "ces")] = {
                "value": row["ces"],
                "n": row["ces_answers"],
                "sd": row["ces_stddev"],
            }
    for row in golden.rows("select * from metrics.repeat_contact_metrics where period <> 'all'"):
        cut = (row["period"], row["dimension"], row["dimension_value"])
        for metric, (successes, sample, _) in RATES.items():
            if row[sample]:
                cells[(*cut, metric)] = {
                    "value": row[metric],
                    "n": row[sample],
                    "successes": row[successes],
                    "immature": metric != "one_touch_rate" and row["has_immature_tickets"],
                }
    return cells


def _p_value(metric: str, now: dict, before: dict) -> float:
    change = now["value"] - before["value"]
    if metric == "ces":
        if not now["sd"] and not before["sd"]:
            return 1.0 if change == 0 else 0.0
        return stats.ttest_ind_from_stats(
            now["value"], now["sd"], now["n"], before["value"], before["sd"], before["n"],
            equal_var=False,
        ).pvalue  # fmt: skip
    if metric == "nps":
        se = math.sqrt(now["variance"] / now["n"] + before["variance"] / before["n"])
    else:
        pooled = (now["successes"] + before["successes"]) / (now["n"] + before["n"])
        se = 100 * math.sqrt(pooled * (1 - pooled) * (1 / now["n"] + 1 / before["n"]))
    if se == 0:
        return 1.0 if change == 0 else 0.0
    return math.erfc(abs(change / se) / math.sqrt(2))


def _benjamini_hochberg(p_values: dict) -> dict:
    ordered = sorted(p_values, key=lambda k: p_values[k])
    m = len(ordered)
    q, running = {}, 1.0
    for rank in range(m, 0, -1):
        key = ordered[rank - 1]
        running = min(running, p_values[key] * m / rank)
        q[key] = running
    return q


def reference(golden, min_sample: int) -> dict[tuple, dict]:
    cells = _cells(golden)
    months = sorted({key[0] for key in cells})
    first_month = golden.one(
        "select min(period) as period from metrics.metric_periods where period_grain = 'month'"
    )["period"]
    by_index = {_month_index(m): m for m in months}
    out: dict[tuple, dict] = {}
    families: dict[tuple, dict] = defaultdict(dict)
    for (period, dimension, value, metric), now in cells.items():
        for comparison, back in COMPARISONS.items():
            base_period = by_index.get(_month_index(period) - back)
            before = cells.get((base_period, dimension, value, metric))
            if before is None:
                continue
            key = (period, comparison, metric, dimension, value)
            warm_up = metric in ("fcr_rate", "repeat_contact_rate") and first_month in (
                period,
                base_period,
            )
            immature = now.get("immature") or before.get("immature")
            tested = not warm_up and not immature and min(now["n"], before["n"]) >= min_sample
            out[key] = {"change": now["value"] - before["value"], "is_tested": tested}
            if tested:
                p = _p_value(metric, now, before)
                out[key]["p_value"] = p
                families[(period, comparison)][key] = p
    for p_values in families.values():
        for key, q in _benjamini_hochberg(p_values).items():
            out[key]["q_value"] = q
    return out


@pytest.fixture(scope="module")
def changes(golden) -> dict[tuple, dict]:
    rows = golden.rows("select * from metrics.metric_changes")
    return {
        (r["period"], r["comparison"], r["metric"], r["dimension"], r["dimension_value"]): r
        for r in rows
    }


def test_every_comparison_agrees_with_the_reference(golden, changes):
    expected = reference(golden, golden.vars["min_sample"])
    assert set(changes) == set(expected)
    assert any(e["is_tested"] for e in expected.values()), "the fixture must test some pairs"
    for key, want in expected.items():
        got = changes[key]
        assert got["change"] == pytest.approx(want["change"], abs=1e-9), key
        assert got["is_tested"] == want["is_tested"], key
        if not want["is_tested"]:
            assert got["p_value"] is None and got["assessment"] == "not_tested", key
            assert not got["is_significant"], key
            continue
        # the normal tail is exact to 1e-7 relative; Welch's t through a normal approximation
        tolerance = 2e-3 if key[2] == "ces" else 1e-6
        assert got["p_value"] == pytest.approx(want["p_value"], abs=tolerance), key
        assert got["q_value"] == pytest.approx(want["q_value"], abs=tolerance * 5), key
        if abs(want["q_value"] - ALPHA) > tolerance * 5:
            assert got["is_significant"] == (want["q_value"] < ALPHA), key
        if got["is_significant"]:
            direction = "significant_rise" if want["change"] > 0 else "significant_fall"
            assert got["assessment"] == direction, key
        else:
            assert got["assessment"] == "within_noise", key


def test_one_nps_pair_by_hand(changes):
    """Overall NPS, March against February 2026 in the golden fixture.

    February: R2 = 3 and R3 = 6, two detractors: NPS -100, variance per answer
    p + d - (p - d)^2 = 0 + 1 - 1 = 0. March: R4 = 8 (passive) and R5 = 9 (promoter):
    NPS 50, variance 0.5 - 0.25 = 0.25, i.e. 2,500 on the NPS scale. Standard error
    sqrt(0 / 2 + 2500 / 2) = 35.355; z = 150 / 35.355 = 4.2426; p = erfc(4.2426 / sqrt 2)
    = 2.2090e-05."""
    row = changes[("2026-03", "previous_month", "nps", "overall", "all")]
    assert row["base_period"] == "2026-02"
    assert row["change"] == pytest.approx(150.0)
    assert row["standard_error"] == pytest.approx(35.35534, rel=1e-5)
    assert row["test_statistic"] == pytest.approx(4.24264, rel=1e-5)
    assert row["p_value"] == pytest.approx(2.2090e-05, rel=1e-3)
    assert row["test_method"] == "nps_difference"


def test_repeat_contact_rate_falls_are_improvements(changes):
    for row in changes.values():
        if row["metric"] == "repeat_contact_rate" and row["is_significant"]:
            assert row["is_significant_improvement"] == (row["change"] < 0)
            assert row["is_significant_deterioration"] == (row["change"] > 0)

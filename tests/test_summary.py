"""The leadership summary says, in plain words, what changed since the last report."""

from __future__ import annotations

from publishing.summary import summary_markdown, write_summary

HEADLINE = {
    "as_of_date": "2026-10-31",
    "nps": -3.2,
    "csat": 78.7,
    "ces": 5.23,
    "fcr_rate": 85.1,
    "repeat_contact_rate": 13.8,
    "one_touch_rate": 47.9,
    "standard_met_rate": 58.6,
    "accounts_at_risk": 318,
    "people_at_risk": 375,
    "channel_csat_spread": 28.4,
    "lowest_csat_channel": "social",
    "top_hotspots": [
        {
            "touchpoint_code": "billing",
            "touchpoint_name": "Billing <b>and</b> invoicing",
            "irritations": 2036,
            "customers_affected": 900,
            "revenue_at_risk": 11238749.85,
            "owner": "Finance",
            "hotspot_status": "fixing",
        }
    ],
}


def test_first_report_says_so():
    text = summary_markdown(HEADLINE, None, {"passed": 10, "warned": 1, "failed": 0})
    assert "first published report" in text
    assert "**Net Promoter Score: -3.2** - first report" in text
    assert "318 accounts (375 people)" in text
    assert "11.2 M revenue at risk" in text  # 11,238,749.85 -> 11.2 M
    assert "weakest is **social**" in text
    assert "10 data checks passed, 1 warned, 0 failed" in text


def test_changes_against_the_previous_report_are_numbers_not_rises_or_falls():
    """Two releases' whole-window figures are not tested against each other, so their
    difference is given as a number and never called a rise or a fall (issue 18): the tested
    monthly moves say that ("What moved")."""
    previous = {
        **HEADLINE,
        "as_of_date": "2026-09-30",
        "nps": -1.0,
        "repeat_contact_rate": 15.8,
        "accounts_at_risk": 300,
    }
    text = summary_markdown(HEADLINE, previous, {})
    # -3.2 - (-1.0) = -2.2
    assert "**Net Promoter Score: -3.2** - -2.2 points since the last report" in text
    # 13.8 - 15.8 = -2.0
    assert "repeat contact: 13.8 %** - -2.0 points since the last report" in text
    # 318 - 300 = +18 accounts at risk
    assert "+18 since the last report (accounts)" in text
    assert "**Satisfied customers (CSAT): 78.7 %** - unchanged since the last report" in text
    for word in ("up ", "down ", "(better)", "(worse)", "rose", "fell"):
        assert word not in text


def _move(metric, now, before, p, *, tested=True, significant=False, better=True):
    return {
        "metric": metric, "comparison": "previous_month", "period": "2026-10",
        "base_period": "2026-09", "metric_value": now, "base_value": before,
        "change": now - before, "sample_size": 400, "base_sample_size": 380,
        "is_tested": tested, "p_value": p if tested else None, "is_significant": significant,
        "assessment": "x", "is_significant_improvement": significant and better,
        "is_significant_deterioration": significant and not better,
    }  # fmt: skip


def test_monthly_moves_say_significant_or_within_noise():
    moves = [
        _move("csat", 61.0, 83.0, 0.00001, significant=True, better=False),
        _move("nps", 31.0, 29.5, 0.41),
        _move("ces", 5.2, 5.1, None, tested=False),
        {**_move("csat", 61.0, 70.0, 0.2), "comparison": "previous_year"},
    ]
    text = summary_markdown(HEADLINE, None, {}, moves)
    assert "## What moved in October 2026" in text
    assert (
        "- **CSAT: 61.0 %** against 83.0 % the month before (September 2026): a significant "
        "fall (p < 0.001; worse)." in text
    )
    assert (
        "- **NPS: 31.0** against 29.5 the month before (September 2026): within noise "
        "(p = 0.410), neither a rise nor a fall." in text
    )
    assert "too few observations to test, so neither a rise nor a fall" in text
    recent = {**_move("fcr_rate", 90.0, 84.0, None, tested=False), "is_provisional": True}
    text = summary_markdown(HEADLINE, None, {}, [recent])
    assert "too recent to test (tickets younger than the repeat window" in text
    assert "a year before" not in text  # the section compares with the month before only


def test_html_escapes_text_from_data(tmp_path):
    write_summary(tmp_path, HEADLINE, None, {})
    page = (tmp_path / "summary.html").read_text()
    assert "<b>and</b>" not in page
    assert "&lt;b&gt;and&lt;/b&gt;" in page
    assert (tmp_path / "summary.md").read_text().startswith("# Customer experience")


def _two_hotspots() -> dict:
    # By hand: 60 + 25 = 85 irritations at the vital few, whose cumulative share is 85.0 %, so
    # the touchpoint base is 85 / 0.85 = 100 irritations.
    return {
        **HEADLINE,
        "top_hotspots": [
            {"touchpoint_code": "billing", "touchpoint_name": "Billing", "irritations": 60,
             "cumulative_share": 60.0, "customers_affected": 40, "revenue_at_risk": 2_500_000.0,
             "owner": "Finance", "hotspot_status": "fixing"},
            {"touchpoint_code": "support", "touchpoint_name": "Support", "irritations": 25,
             "cumulative_share": 85.0, "customers_affected": 20, "revenue_at_risk": 1_800_000.0,
             "owner": "Support", "hotspot_status": None},
        ],
    }  # fmt: skip


def test_vital_few_sentence_is_on_the_touchpoint_base_of_the_headline():
    text = summary_markdown(_two_hotspots(), None, {})
    assert "Of the 100 irritations at touchpoints" in text
    assert "2 touchpoints cause 85 (85 %)" in text
    assert "80 % of all irritations" not in text


def test_revenue_at_risk_carries_its_currency_and_the_non_additive_caveat():
    text = summary_markdown(_two_hotspots(), None, {})
    assert "€2.5 M revenue at risk" in text and "€1.8 M revenue at risk" in text
    assert "not additive" in text and "must not be added up" in text


def test_codes_read_as_words_from_the_seeds():
    text = summary_markdown(_two_hotspots(), None, {})
    assert "status being fixed" in text  # `fixing` in seeds/reference/code_labels.csv
    assert "status not tracked yet" in text  # no status: `untracked`
    assert "weakest is **social** (Social media)" in text  # channels.csv

"""The leadership summary: one page, in plain words, from the headline snapshot.

Written as Markdown (for e-mail or chat) and HTML (same text, styled) into each release, with
every figure's change against the previous published release.
"""

from __future__ import annotations

import calendar
import csv
import html
from pathlib import Path

from markdown_it import MarkdownIt

from lib.settings import PROJECT_DIR

SEEDS_DIR = PROJECT_DIR / "seeds" / "reference"


def _seed_labels(file_name: str, key: str, label: str, code_set: str | None = None) -> dict:
    """Words for codes from a reference seed (the reports read the same seeds); {} when the
    seed is not there."""
    path = SEEDS_DIR / file_name
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            row[key]: row[label]
            for row in csv.DictReader(handle)
            if code_set is None or row.get("code_set") == code_set
        }


# (key, label, unit, decimals, higher_is_better)
FIGURES = (
    ("nps", "Net Promoter Score", "", 1, True),
    ("csat", "Satisfied customers (CSAT)", " %", 1, True),
    ("ces", "Customer effort (CES, 7 = very easy)", "", 2, True),
    ("fcr_rate", "Resolved at first contact (FCR)", " %", 1, True),
    ("repeat_contact_rate", "Tickets that were a repeat contact", " %", 1, False),
    ("one_touch_rate", "Solved with one agent reply", " %", 1, True),
    ("standard_met_rate", "Tickets within the service standard", " %", 1, True),
)


def _number(value: float | int | None, decimals: int = 1) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{decimals}f}"


# The warehouse's one reporting currency (orders and invoices carry it; the report pages show
# money in it too).
CURRENCY_SYMBOL = "€"


def _money(value: float | None) -> str:
    if value is None:
        return "n/a"
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1_000_000:
        return f"{sign}{CURRENCY_SYMBOL}{value / 1_000_000:,.1f} M"
    if value >= 1_000:
        return f"{sign}{CURRENCY_SYMBOL}{value / 1_000:,.0f} k"
    return f"{sign}{CURRENCY_SYMBOL}{value:,.0f}"


def _irritations_at_touchpoints(hotspots: list[dict]) -> int | None:
    """All irritations at touchpoints (the hotspot mart's base, which the reports' headline
    counts too), from the vital few: their irritations over their cumulative share."""
    last = hotspots[-1] if hotspots else {}
    share = last.get("cumulative_share")
    if not share:
        return None
    vital = sum(h.get("irritations") or 0 for h in hotspots)
    return round(vital * 100 / share)


def _change(key: str, now, before, decimals: int, unit: str, higher_is_better: bool) -> str:
    """The change since the last report, in numbers only: a difference between two releases
    is not tested, so it is never called a rise or a fall (the tested monthly moves are in
    "What moved")."""
    if before is None or now is None or key not in before or before[key] is None:
        return "first report" if before is None else "no earlier figure"
    delta = now - before[key]
    if round(delta, decimals) == 0:
        return "unchanged since the last report"
    points = " points" if unit.strip() == "%" or key == "nps" else ""
    return f"{delta:+,.{decimals}f}{points} since the last report"


# metric: (label, unit) for the tested monthly moves of metrics.metric_changes
MOVE_LABELS = {
    "nps": ("NPS", ""),
    "csat": ("CSAT", " %"),
    "ces": ("CES", ""),
    "fcr_rate": ("First-contact resolution", " %"),
    "repeat_contact_rate": ("Repeat contacts", " %"),
    "one_touch_rate": ("One-touch resolution", " %"),
}
MOVES_SQL = """
select metric, comparison, period, base_period, metric_value, base_value, change,
    sample_size, base_sample_size, is_tested, is_provisional, p_value, is_significant,
    assessment,
    is_significant_improvement, is_significant_deterioration
from metrics.metric_changes
where dimension = 'overall'
    and period = (select max(period) from metrics.metric_changes)
order by metric, comparison
"""


def read_moves(con) -> list[dict]:
    """The overall monthly moves of the latest month (metrics.metric_changes)."""
    cursor = con.execute(MOVES_SQL)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _month(period: str) -> str:
    year, month = period.split("-")
    return f"{calendar.month_name[int(month)]} {year}"


def _p(value: float | None) -> str:
    if value is None:
        return "n/a"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def describe_move(move: dict) -> str:
    """One line: the figure, what it is compared with, and whether the move is real."""
    label, unit = MOVE_LABELS.get(move["metric"], (move["metric"], ""))
    decimals = 2 if move["metric"] == "ces" else 1
    when = "the month before" if move["comparison"] == "previous_month" else "a year before"
    head = (
        f"- **{label}: {move['metric_value']:,.{decimals}f}{unit}** against "
        f"{move['base_value']:,.{decimals}f}{unit} {when} ({_month(move['base_period'])})"
    )
    if not move["is_tested"] and move.get("is_provisional"):
        return (
            f"{head}: too recent to test (tickets younger than the repeat window cannot know "
            "their repeats yet), so neither a rise nor a fall."
        )
    if not move["is_tested"]:
        return f"{head}: too few observations to test, so neither a rise nor a fall."
    if not move["is_significant"]:
        return f"{head}: within noise ({_p(move['p_value'])}), neither a rise nor a fall."
    verb = "rise" if move["change"] > 0 else "fall"
    good = "better" if move["is_significant_improvement"] else "worse"
    return f"{head}: a significant {verb} ({_p(move['p_value'])}; {good})."


def summary_markdown(
    headline: dict, previous: dict | None, checks: dict, moves: list[dict] | None = None
) -> str:
    """The summary text; ``previous`` is the last published release's headline (or None),
    ``moves`` the overall monthly moves of the latest month (``read_moves``)."""
    lines = [
        f"# Customer experience: where we stand on {headline.get('as_of_date', 'n/a')}",
        "",
    ]
    if previous:
        lines.append(
            f"Changes are against the previous report (data as of "
            f"{previous.get('as_of_date', 'n/a')})."
        )
    else:
        lines.append("This is the first published report: no changes to compare yet.")
    lines += ["", "## Headline figures", ""]
    for key, label, unit, decimals, better in FIGURES:
        value = headline.get(key)
        lines.append(
            f"- **{label}: {_number(value, decimals)}{unit if value is not None else ''}**"
            f" - {_change(key, value, previous, decimals, unit, better)}"
        )
    monthly = [m for m in moves or [] if m["comparison"] == "previous_month"]
    if monthly:
        lines += [
            "",
            f"## What moved in {_month(monthly[0]['period'])}",
            "",
            "Each figure of the month against the month before, tested for the metric (a move "
            "within noise is neither a rise nor a fall; the false-discovery rate is held across "
            "every cut tested):",
            "",
        ]
        lines += [describe_move(m) for m in monthly]
    at_risk = headline.get("accounts_at_risk")
    lines += [
        "",
        "## Customers at risk",
        "",
        f"{_number(at_risk)} accounts ({_number(headline.get('people_at_risk'))} people) "
        "needed three or more contacts for the same issue - the point where many customers "
        "give up. "
        + (
            f"That is {_change('accounts_at_risk', at_risk, previous, 0, '', False)} (accounts)."
            if previous
            else ""
        ),
        "",
        "## Where customers are irritated most",
        "",
    ]
    hotspots = headline.get("top_hotspots") or []
    statuses = _seed_labels("code_labels.csv", "code", "label", "hotspot_status")
    if hotspots:
        vital = sum(h.get("irritations") or 0 for h in hotspots)
        total = _irritations_at_touchpoints(hotspots)
        count = f"{len(hotspots)} touchpoints cause" if len(hotspots) > 1 else "1 touchpoint causes"
        if total:
            lines.append(
                f"Of the {_number(total)} irritations at touchpoints (the relationship survey, "
                f"which rates the relationship as a whole, left out, as in the reports' "
                f"headline), {count} {_number(vital)} ({_number(100 * vital / total, 0)} %): "
                "the vital few. Fixing them first helps most customers:"
            )
        else:
            lines.append(
                f"{count} 80 % of the irritations at touchpoints (the vital few); fixing them "
                "first helps most customers:"
            )
        lines.append("")
        for h in hotspots:
            status = h.get("hotspot_status") or "untracked"
            lines.append(
                f"- **{h.get('touchpoint_name') or h.get('touchpoint_code')}**: "
                f"{_number(h.get('irritations'))} irritations, "
                f"{_number(h.get('customers_affected'))} customers affected, "
                f"{_money(h.get('revenue_at_risk'))} revenue at risk; "
                f"owner {h.get('owner') or 'n/a'}, status {statuses.get(status, status).lower()}."
            )
        lines += [
            "",
            "Revenue at risk is the revenue of the last 12 months of the accounts irritated at "
            "the touchpoint. It is not additive: an account irritated at two touchpoints counts "
            "at both, so these figures must not be added up.",
        ]
    else:
        lines.append("No touchpoint stands out.")
    spread = headline.get("channel_csat_spread")
    lowest = headline.get("lowest_csat_channel")
    channels = _seed_labels("channels.csv", "channel", "channel_name")
    if spread is not None:
        lines += [
            "",
            "## Consistency across channels",
            "",
            f"CSAT differs by {_number(spread)} points between channels; the weakest is "
            f"**{lowest or 'n/a'}**" + (f" ({channels[lowest]})." if lowest in channels else "."),
        ]
    lines += [
        "",
        "## Can we trust these numbers?",
        "",
        f"{checks.get('passed', 0):,} data checks passed, {checks.get('warned', 0):,} warned, "
        f"{checks.get('failed', 0):,} failed (each dbt data test is one check, and so are a "
        "Great Expectations suite's blocking expectations and its warning ones: the same "
        "count as the reports' header). Reports are only published when no blocking check "
        "fails; warnings are listed on the data-quality page.",
        "",
    ]
    return "\n".join(lines)


def write_summary(
    out_dir: Path,
    headline: dict,
    previous: dict | None,
    checks: dict,
    moves: list[dict] | None = None,
) -> None:
    text = summary_markdown(headline, previous, checks, moves)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "summary.md").write_text(text)
    # html=False: any markup that came from data is shown as text, never interpreted
    body = MarkdownIt("commonmark", {"html": False}).render(text)
    title = html.escape(f"CX summary {headline.get('as_of_date', '')}")
    (out_dir / "summary.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title}</title><style>body{{font-family:system-ui,sans-serif;"
        "max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1f2933}"
        "h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:1.6rem}</style></head>"
        f"<body>{body}<p><a href='reports/index.html'>Open the full reports</a></p>"
        "</body></html>\n"
    )

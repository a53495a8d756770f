"""The tables of `scripts/benchmark.py`: the targets' ratios per scale, and the Markdown of a
run's steps and ratios (also printed again from a saved results.json, `--table-from`)."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime

# the steps' names, as results.json keeps them
FLOOR, FULL_RUN, FULL_BUILD = (
    "floor (compiled SQL, no dbt)",
    "dbt run (full refresh)",
    "dbt build (full)",
)
INC_BUILD, INC_RUN = "dbt build (incremental)", "dbt run (incremental)"
LOAD, LOAD_FLOOR = "load", "load floor (DuckDB read_csv)"


def ratios(results: list[dict], measure: str = "seconds") -> list[dict]:
    """The targets' ratios per scale, from ``measure`` ("seconds": wall, or "cpu_seconds":
    user + sys of the step's process tree). A ratio whose steps were not both run is None;
    doubling compares a scale's full build (and load) with those of the scale half its size."""
    by_scale: dict[int, dict[str, float]] = {}
    for r in results:
        if measure in r:
            by_scale.setdefault(r["accounts"], {})[r["step"]] = r[measure]

    def ratio(steps: dict[str, float], top: str, bottom: str) -> float | None:
        if top not in steps or bottom not in steps or not steps[bottom]:
            return None
        return steps[top] / steps[bottom]

    rows = []
    for accounts, steps in by_scale.items():
        half = by_scale.get(accounts // 2, {}) if accounts % 2 == 0 else {}
        rows.append(
            {
                "accounts": accounts,
                "run_floor": ratio(steps, FULL_RUN, FLOOR),
                "build_floor": ratio(steps, FULL_BUILD, FLOOR),
                "incremental_build": ratio(steps, INC_BUILD, FULL_BUILD),
                "incremental_run": ratio(steps, INC_RUN, FULL_RUN),
                "build_doubling": ratio({**steps, "half": half.get(FULL_BUILD, 0)},
                                        FULL_BUILD, "half"),
                "load_doubling": ratio({**steps, "half": half.get(LOAD, 0)}, LOAD, "half"),
                "load_floor": ratio(steps, LOAD, LOAD_FLOOR),
            }
        )  # fmt: skip
    return rows


RATIO_COLUMNS = (  # key, heading, target
    ("run_floor", "dbt run / floor", "-"),
    ("build_floor", "dbt build / floor", "<= 1.5x"),
    ("incremental_build", "incremental build / full build", "<= 10 %"),
    ("incremental_run", "incremental run / full run", "-"),
    ("build_doubling", "full build vs half the data", "<= 2.1x"),
    ("load_doubling", "load vs half the data", "<= 2.1x"),
    ("load_floor", "load / load floor", "<= 2x"),
)


def _shown(key: str, value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0%}" if key.startswith("incremental") else f"{value:.2f}x"


def to_markdown(results: list[dict], share: float) -> str:
    cpu = all("cpu_seconds" in r for r in results)
    delivery = results[0].get("delivery", "full") if results else "full"  # full: older runs
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, DuckDB target, `scripts/benchmark.py` "
        f"(next delivery: {share:.0%} new rows, as a {delivery} delivery). CPU s is user + "
        "system time of the step's whole process tree: on a shared machine the figure to "
        "compare (wall seconds include waiting for a core).",
        "",
        "| accounts | raw rows | touchpoint events | step | wall s | CPU s | peak MiB |",
        "|---:|---:|---:|---|---:|---:|---:|",
    ]
    for r in results:
        cpu_s = f"{r['cpu_seconds']:.1f}" if "cpu_seconds" in r else "-"
        lines.append(
            f"| {r['accounts']:,} | {r['raw_rows']:,} | {r.get('touchpoint_events', 0):,} "
            f"| {r['step']} | {r['seconds']:.1f} | {cpu_s} | {r['peak_mib']:,} |"
        )
    measures = [("wall", "seconds")] + ([("CPU", "cpu_seconds")] if cpu else [])
    table = [
        (name, row) for name, measure in measures for row in ratios(results, measure)
        if any(row[key] is not None for key, _h, _t in RATIO_COLUMNS)
    ]  # fmt: skip
    if table:
        lines += [
            "",
            "| accounts | measure | " + " | ".join(h for _k, h, _t in RATIO_COLUMNS) + " |",
            "|---:|---|" + "---:|" * len(RATIO_COLUMNS),
            "| target | | " + " | ".join(t for _k, _h, t in RATIO_COLUMNS) + " |",
        ]
        for name, row in sorted(table, key=lambda nr: (nr[1]["accounts"], nr[0] != "wall")):
            shown = " | ".join(_shown(key, row[key]) for key, _h, _t in RATIO_COLUMNS)
            lines.append(f"| {row['accounts']:,} | {name} | {shown} |")
    peak = max(r["peak_mib"] for r in results)
    lines += ["", f"Peak memory of any step: {peak:,} MiB."]
    return "\n".join(lines) + "\n"

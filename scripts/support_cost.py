"""What the support-operations models cost: full builds with and without them, alternated.

    .venv/bin/python scripts/support_cost.py [--rounds 3] [--out data/benchmark/support_cost.json]

Runs on the working database of the DuckDB target (CXW_DUCKDB_PATH, by default
data/warehouse.duckdb, e.g. after `./cxw run`), which must hold raw tables with the optional
support tables (the demo has them). Each round runs two `dbt build --full-refresh` (seeds,
models, data tests; not dbt's unit tests, as in the main job), one without the support nodes
and one with them, in alternating order, each measured as scripts/benchmark.py measures a step:
CPU seconds of the whole process tree (user + sys), wall seconds, peak RSS, load average.
The figure to read is the median CPU seconds of each side and the share the support nodes add:
on a shared machine two builds of the same commit differ by a few CPU seconds, hence the
rounds. Target (issue 16): the support nodes add at most 25 % to the full build.

The support nodes: every model under models/marts/support and models/staging/ticketing/support,
the support-operations intermediate models below, and the data tests on them.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# intermediate models that only support operations read (models/intermediate/support also
# holds the repeat-contact models int_ticket_timings and int_tickets_grouped_into_episodes,
# which are not support operations)
SUPPORT_INTERMEDIATE = (
    "int_support_business_intervals",
    "int_support_ticket_outcomes",
    "int_ticket_handoffs",
    "int_ticket_metric_spans",
    "int_ticket_status_segments",
)
SUPPORT_SELECTION = (
    "path:models/marts/support",
    "path:models/staging/ticketing/support",
    *SUPPORT_INTERMEDIATE,
)
TARGET_SHARE = 0.25


def _benchmark():
    spec = importlib.util.spec_from_file_location("benchmark_script", ROOT / "scripts/benchmark.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_argv(bench, without_support: bool) -> list[str]:
    """The main job's dbt build (scripts/benchmark.py BUILD), in full, with or without the
    support nodes."""
    argv = [bench.DBT, *bench.BUILD, "--full-refresh"]
    argv += ["--project-dir", str(ROOT), "--profiles-dir", str(ROOT)]
    if without_support:
        argv += ["--exclude", *SUPPORT_SELECTION]
    return argv


def summary(runs: list[dict]) -> dict:
    """Median CPU and wall seconds of each side and the share the support nodes add."""
    out: dict = {}
    for side in ("without", "with"):
        mine = [r for r in runs if r["side"] == side]
        out[side] = {
            "cpu_seconds": [r["cpu_seconds"] for r in mine],
            "median_cpu_seconds": round(statistics.median(r["cpu_seconds"] for r in mine), 2),
            "median_wall_seconds": round(statistics.median(r["seconds"] for r in mine), 2),
            "peak_mib": max(r["peak_mib"] for r in mine),
            "loads": [round(r["load_before"], 1) for r in mine],
        }
    base = out["without"]["median_cpu_seconds"]
    out["added_share"] = round(out["with"]["median_cpu_seconds"] / base - 1, 4)
    out["met"] = out["added_share"] <= TARGET_SHARE
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "data/benchmark/support_cost.json")
    args = parser.parse_args()
    bench = _benchmark()
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    runs = []
    for round_no in range(args.rounds):
        # alternate which side goes first, so a trend in the machine's load falls on both
        sides = ("without", "with") if round_no % 2 == 0 else ("with", "without")
        for side in sides:
            step = bench.measured(f"build {side}", build_argv(bench, side == "without"), env)
            step.pop("output")
            runs.append({**step, "side": side, "round": round_no + 1})
            print(
                f"round {round_no + 1} {side:>7} the support nodes: "
                f"{step['cpu_seconds']:6.1f} CPU s, {step['seconds']:6.1f} s wall, "
                f"load {step['load_before']:.1f}",
                flush=True,
            )
    result = {"runs": runs, "summary": summary(runs)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    s = result["summary"]
    print(
        f"median CPU s: without {s['without']['median_cpu_seconds']}, with "
        f"{s['with']['median_cpu_seconds']}: the support nodes add {s['added_share']:.0%} "
        f"(target at most {TARGET_SHARE:.0%}: {'met' if s['met'] else 'not met'}); {args.out}"
    )


if __name__ == "__main__":
    main()

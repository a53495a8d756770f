"""Benchmark the warehouse at several scales: speed and peak memory of every step.

    .venv/bin/python scripts/benchmark.py --scales 10000,100000 [--out docs/benchmark.md]

For each scale (number of accounts) it measures, each step in a fresh process so its peak
memory is its own:

  generate     demo landing folder (CSV)
  load         `cxw load` into a fresh DuckDB file
  dbt build    full `dbt build` (seeds, models, tests)
  dbt run      full `dbt run` (models only: what the floor compares with)
  floor        the same compiled SQL of every model, run straight in one DuckDB connection
               without dbt (on a copy of the database holding raw tables and seeds)

and writes a Markdown table (wall seconds and peak RSS per step) to --out. Targets (2 cores):
full build at most 1.5x the floor; doubling the data at most 2.2x the time; peak memory under
4 GiB at the largest scale.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DBT = str(Path(PY).with_name("dbt"))

FLOOR_SCRIPT = r"""
import json, sys, duckdb
manifest = json.load(open(sys.argv[1]))
con = duckdb.connect(sys.argv[2])
con.execute("set TimeZone='UTC'")
nodes = {k: v for k, v in manifest["nodes"].items() if v["resource_type"] == "model"}
done, order = set(), []
def visit(uid):
    if uid in done or uid not in nodes:
        return
    done.add(uid)
    for dep in nodes[uid]["depends_on"]["nodes"]:
        visit(dep)
    order.append(uid)
for uid in sorted(nodes):
    visit(uid)
for uid in order:
    node = nodes[uid]
    relation = f'"{node["schema"]}"."{node["alias"]}"'
    kind = "view" if node["config"]["materialized"] in ("view", "ephemeral") else "table"
    con.execute(f'create schema if not exists "{node["schema"]}"')
    con.execute(f"create or replace {kind} {relation} as {node['compiled_code']}")
print(len(order))
"""


def run_step(name: str, argv: list[str], env: dict[str, str]) -> dict:
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    out, _ = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(out.decode(errors="replace")[-4000:])
        raise SystemExit(f"step {name} failed")
    return {"step": name, "seconds": round(seconds, 2), "output": out.decode(errors="replace")}


def measured(name: str, argv: list[str], env: dict[str, str]) -> dict:
    """Run a step under a tiny wrapper process that reports the step's peak RSS."""
    wrapper = [
        PY,
        "-c",
        "import resource, subprocess, sys, json;"
        "r = subprocess.run(sys.argv[1:]);"
        "print('__RSS__' + json.dumps(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss));"
        "sys.exit(r.returncode)",
        *argv,
    ]
    result = run_step(name, wrapper, env)
    rss_kib = next(
        int(line[7:]) for line in result["output"].splitlines() if line.startswith("__RSS__")
    )
    result["peak_mib"] = round(rss_kib / 1024)
    return result


def bench_scale(accounts: int, work: Path) -> list[dict]:
    folder = work / f"scale_{accounts}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    landing, db = folder / "landing", folder / "warehouse.duckdb"
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(ROOT),
        "CXW_DUCKDB_PATH": str(db),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    target = str(folder / "target")
    steps = [
        measured(
            "generate",
            [
                PY,
                "-m",
                "orchestration.cli",
                "-q",
                "generate",
                "--landing",
                str(landing),
                "--accounts",
                str(accounts),
            ],
            env,
        ),
        measured(
            "load",
            [
                PY,
                "-m",
                "orchestration.cli",
                "-q",
                "load",
                "--landing",
                str(landing),
                "--database",
                str(db),
            ],
            env,
        ),
    ]
    steps.append(measured("dbt build", [DBT, "build", "--target-path", target, "--quiet"], env))
    steps.append(measured("dbt run", [DBT, "run", "--target-path", target, "--quiet"], env))
    # the floor: the same compiled SQL, no dbt, on a copy holding raw tables and seeds
    floor_db = folder / "floor.duckdb"
    shutil.copy(db, floor_db)
    steps.append(
        measured(
            "floor (compiled SQL, no dbt)",
            [PY, "-c", FLOOR_SCRIPT, str(Path(target) / "manifest.json"), str(floor_db)],
            env,
        )
    )
    rows = sum(
        int(line.split()[-1].replace(",", ""))
        for line in steps[0]["output"].splitlines()
        if line.startswith("  ") and line.split()[-1].replace(",", "").isdigit()
    )
    for s in steps:
        s["accounts"] = accounts
        s["raw_rows"] = rows
        s.pop("output")
    return steps


def to_markdown(results: list[dict]) -> str:
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, `scripts/benchmark.py`.",
        "",
        "| accounts | raw rows | step | wall s | peak MiB |",
        "|---:|---:|---|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['accounts']:,} | {r['raw_rows']:,} | {r['step']} | {r['seconds']:.1f} | "
            f"{r['peak_mib']:,} |"
        )
    by_scale: dict[int, dict[str, float]] = {}
    for r in results:
        by_scale.setdefault(r["accounts"], {})[r["step"]] = r["seconds"]
    lines += ["", "| accounts | dbt run / floor | dbt build / floor |", "|---:|---:|---:|"]
    for accounts, steps in by_scale.items():
        floor = steps["floor (compiled SQL, no dbt)"]
        run, build = steps["dbt run"] / floor, steps["dbt build"] / floor
        lines.append(f"| {accounts:,} | {run:.2f}x | {build:.2f}x |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="10000,20000", help="accounts, comma-separated")
    parser.add_argument("--work", type=Path, default=ROOT / "data" / "benchmark")
    parser.add_argument("--out", type=Path, help="write the Markdown table here")
    args = parser.parse_args()
    results = []
    for accounts in [int(s) for s in args.scales.split(",")]:
        print(f"== {accounts:,} accounts", file=sys.stderr, flush=True)
        for step in bench_scale(accounts, args.work):
            print(
                f"   {step['step']:<30} {step['seconds']:>8.1f}s {step['peak_mib']:>7} MiB",
                file=sys.stderr,
                flush=True,
            )
            results.append(step)
    table = to_markdown(results)
    print(table)
    (args.work / "results.json").write_text(json.dumps(results, indent=2))
    if args.out:
        args.out.write_text(table)


if __name__ == "__main__":
    main()

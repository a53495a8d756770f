"""Benchmark the warehouse at several scales: speed and peak memory of every step.

    .venv/bin/python scripts/benchmark.py --scales 10000,100000 [--out docs/benchmark.md]

For each scale (number of accounts) it measures, each step in a fresh process so its peak
memory is its own:

  generate                 demo landing folder (CSV)
  load                     `cxw load` into a fresh DuckDB file (seeds are then loaded once)
  load floor               DuckDB's own read_csv of the same files (every column as text,
                           strict quoting) into raw tables of another fresh file: no checks,
                           lineage or history
  raw checks               the raw Great Expectations suites (quality/suites.py run_layer,
                           in SQL) on the loaded raw tables
  dbt build (full)         the first `dbt build`: seeds, every model, every data test (not
                           dbt's unit tests, which check SQL on fixtures: the main job's
                           build leaves them out too)
  dbt run (full refresh)   `dbt run --full-refresh`: models only, what the floor compares with
  floor                    the same compiled SQL of every model (from the first build, so the
                           incremental models in full mode), run straight in one DuckDB
                           connection without dbt, on a copy of the database holding the raw
                           tables and seeds
  load (next delivery)     ~--share new rows (demo_data.delivery): by default files of only
                           those rows loaded with --delta; `--delivery full`: the landing
                           files again, loaded as a full delivery (every row re-staged)
  dbt build (incremental)  `dbt build` after that delivery (incremental models merge)
  dbt run (incremental)    `dbt run` again (models only)

`--steps generate,load,build` runs some of them only (e.g. at 600,000 accounts, where the
floor and the incremental passes would take hours); `--clean` deletes each scale's folder once
measured (the landing files and databases of 600,000 accounts take about 10 GB). The generator
writes in chunks of accounts (`cxw generate --chunk-accounts`), so its memory follows the chunk.

and writes Markdown tables (wall seconds, CPU seconds of the step's process tree and peak RSS
per step; the ratios in wall and in CPU seconds) to --out; `--table-from results.json` writes
them again from an earlier run's figures. Targets (2 cores):
full build at most 1.5x the floor; incremental at most 10 % of full; doubling the data at most
2.1x the time; peak memory under 4 GiB at the largest scale.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from demo_data.delivery import deliver_new_rows  # noqa: E402
from scripts.benchmark_tables import (  # noqa: E402
    FLOOR,
    FULL_BUILD,
    FULL_RUN,
    INC_BUILD,
    INC_RUN,
    LOAD_FLOOR,
    to_markdown,
)

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DBT = str(Path(PY).with_name("dbt"))
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4

LOAD_FLOOR_SCRIPT = r"""
import os, sys, duckdb
from pathlib import Path
con = duckdb.connect(
    sys.argv[2], config={"memory_limit": os.environ.get("CXW_DUCKDB_MEMORY_LIMIT", "3GB")}
)
for f in sorted(Path(sys.argv[1]).glob("*/*.csv")):
    con.execute(f"create schema if not exists raw_{f.parent.name}")
    con.execute(
        f"create table raw_{f.parent.name}.{f.stem} as select * from read_csv('{f}', "
        "all_varchar = true, header = true, strict_mode = true, quote = '\"', escape = '\"')"
    )
con.close()
"""

FLOOR_SCRIPT = r"""
import json, os, sys, duckdb
manifest = json.load(open(sys.argv[1]))
con = duckdb.connect(
    sys.argv[2], config={"memory_limit": os.environ.get("CXW_DUCKDB_MEMORY_LIMIT", "3GB")}
)
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

# the raw Great Expectations suites (quality/suites.py run_layer) on the loaded raw tables;
# argv[2] "gx" checks them the old way, whole frames in pandas for GX, for comparison
RAW_CHECKS_SCRIPT = r"""
import sys, time, duckdb
sys.path.insert(0, ".")
from quality import suites
if len(sys.argv) > 2 and sys.argv[2] == "gx":
    suites.SQL_LAYERS = frozenset()
con = duckdb.connect(sys.argv[1], read_only=True)
started = time.perf_counter()
results = suites.run_layer("raw", con)
failed = [o.describe() for r in results for o in r.failed("error")]
print(f"{len(results)} suites, {sum(len(r.outcomes) for r in results)} expectations, "
      f"{len(failed)} failed, {time.perf_counter() - started:.1f} s")
"""


def _tree_rss_kib(root: int) -> int:
    """Resident memory (KiB) of every process below `root` (not `root` itself), from /proc;
    0 where there is no /proc."""
    children: dict[int, list[int]] = {}
    try:
        entries = [e.name for e in os.scandir("/proc") if e.name.isdigit()]
    except OSError:
        return 0
    for pid in entries:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue  # gone meanwhile
        children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(pid))
    total, stack = 0, list(children.get(root, []))
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KIB
        except OSError:
            continue
    return total


def run_step(name: str, argv: list[str], env: dict[str, str]) -> dict:
    started, load_before = time.perf_counter(), os.getloadavg()[0]
    proc = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    # the step's whole process tree, summed every second: a step that starts children
    # (dbt threads are one process, but a loader or a tool may fork) counts them all
    tree_peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(1.0):
            tree_peak[0] = max(tree_peak[0], _tree_rss_kib(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(out.decode(errors="replace")[-4000:])
        raise SystemExit(f"step {name} failed")
    return {
        "step": name,
        "seconds": round(seconds, 2),
        "load_before": load_before,  # the machine's 1-minute load average, around the step
        "load_after": os.getloadavg()[0],
        "tree_peak_kib": tree_peak[0],
        "output": out.decode(errors="replace"),
    }


def measured(name: str, argv: list[str], env: dict[str, str]) -> dict:
    """Run a step under a tiny wrapper process that reports the step's peak RSS and CPU
    seconds (user + sys of the step's whole process tree: every descendant that was waited
    for, as dbt and DuckDB threads are). On a shared machine wall seconds include the time
    other processes held the cores; CPU seconds are what this work itself cost. The peak RSS
    is the larger of the largest single process (getrusage, exact) and the process tree's sum
    sampled every second."""
    wrapper = [
        PY,
        "-c",
        "import resource, subprocess, sys, json;"
        "r = subprocess.run(sys.argv[1:]);"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN);"
        "print('__RSS__' + json.dumps([u.ru_maxrss, u.ru_utime, u.ru_stime]));"
        "sys.exit(r.returncode)",
        *argv,
    ]
    result = run_step(name, wrapper, env)
    rss_kib, user, system = next(
        json.loads(line[7:]) for line in result["output"].splitlines() if line.startswith("__RSS__")
    )
    result["peak_mib"] = round(max(rss_kib, result.pop("tree_peak_kib")) / 1024)
    result["cpu_seconds"] = round(user + system, 2)
    result["user_seconds"], result["sys_seconds"] = round(user, 2), round(system, 2)
    return result


# what the main job's dbt step runs (orchestration/assets/dbt.py): seeds, models and data tests;
# dbt's unit tests check the SQL on fixtures, not the data: the main job leaves them out too
BUILD = ("build", "--exclude-resource-type", "unit_test")


def _cli(*args: str) -> list[str]:
    return [PY, "-m", "cli.main", "-q", *args]


# From this many accounts on, the steps run with the large-scale settings (docs/benchmark.md,
# "600,000 accounts"): at 600,000 with dbt's 2 threads and DuckDB keeping insertion order,
# two large tables outgrew the 3 GB memory limit beside each other; one model at a time and
# no insertion order kept built every model under it, and a 2.5 GB limit keeps the whole
# process (dbt's Python beside DuckDB) under 4 GiB.
LARGE_SCALE = 300_000
LARGE_SCALE_SETTINGS = {
    "CXW_THREADS": "1",
    "CXW_DUCKDB_PRESERVE_INSERTION_ORDER": "false",
    "CXW_DUCKDB_MEMORY_LIMIT": "2.5GB",
}
# --steps: short name -> the step it runs (in this order); a step needs the steps it names
STEPS = {
    "generate": "generate",
    "load": "load",
    "raw-checks": "raw checks",
    "build": FULL_BUILD,
    "run": FULL_RUN,
    "floor": FLOOR,
    "delivery": "load (next delivery)",
    "incremental-build": INC_BUILD,
    "incremental-run": INC_RUN,
}
NEEDS = {
    "load": {"generate"},
    "raw-checks": {"load"},
    "build": {"load"},
    "run": {"load"},
    "floor": {"build"},
    "delivery": {"load"},
    "incremental-build": {"build", "delivery"},
    "incremental-run": {"run", "delivery"},
}
# the raw tables that become touchpoint events (docs/design.md, `touchpoint_events`)
TOUCHPOINT_TABLES = ("crm.orders", "crm.invoices", "ticketing.tickets", "survey.responses")


def parse_steps(text: str) -> list[str]:
    """`--steps generate,load,build` -> the steps, checked (known, what they need included),
    in run order."""
    wanted = {s.strip() for s in text.split(",") if s.strip()} | {"generate"}  # always
    unknown = wanted - set(STEPS)
    if unknown:
        raise SystemExit(
            f"--steps: unknown {', '.join(sorted(unknown))}; known: {', '.join(STEPS)}"
        )
    for step in wanted:
        missing = NEEDS.get(step, set()) - wanted
        if missing:
            raise SystemExit(f"--steps: {step} needs {', '.join(sorted(missing))}")
    return [s for s in STEPS if s in wanted]


def bench_scale(
    accounts: int,
    work: Path,
    share: float,
    steps_wanted: list[str] | None = None,
    delivery: str = "delta",
) -> list[dict]:
    want = set(steps_wanted or STEPS)
    folder = work / f"scale_{accounts}"
    shutil.rmtree(folder, ignore_errors=True)
    landing = folder / "landing"
    # the floor's copy must keep the file name: DuckDB names the catalog after the file, and
    # dbt's views refer to relations by catalog
    db, floor_db = folder / "dbt" / "warehouse.duckdb", folder / "floor" / "warehouse.duckdb"
    db.parent.mkdir(parents=True)
    floor_db.parent.mkdir(parents=True)
    env = {
        # the large-scale settings unless the environment sets them
        **(LARGE_SCALE_SETTINGS if accounts >= LARGE_SCALE else {}),
        **os.environ,
        "DBT_PROFILES_DIR": str(ROOT),
        "DBT_TARGET": "duckdb",
        "CXW_DUCKDB_PATH": str(db),
        # the scale's own data folder: its run lock is not the checkout's (a `cxw run` or
        # build in ./data does not stop the benchmark, nor the benchmark them)
        "CXW_DATA_DIR": str(folder),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    target = folder / "target"
    dbt_args = ["--target-path", str(target), "--log-path", str(folder / "logs"), "--quiet"]
    steps = [
        measured("generate", _cli("generate", "--landing", str(landing), "--accounts",
                                  str(accounts)), env),
    ]  # fmt: skip
    generated = steps[0].pop("output")
    rows = {
        line.split()[0]: int(line.split()[-1].replace(",", ""))
        for line in generated.splitlines()
        if line.startswith("  ") and line.split()[-1].replace(",", "").isdigit()
    }
    raw_rows = sum(rows.values())
    events = sum(rows.get(t, 0) for t in TOUCHPOINT_TABLES)
    if "load" in want:
        steps.append(measured("load", _cli("load", "--landing", str(landing), "--database",
                                           str(db)), env))  # fmt: skip
        steps.append(measured(LOAD_FLOOR, [PY, "-c", LOAD_FLOOR_SCRIPT, str(landing),
                                           str(folder / "load_floor.duckdb")], env))  # fmt: skip
    if "raw-checks" in want:
        steps.append(measured("raw checks", [PY, "-c", RAW_CHECKS_SCRIPT, str(db)], env))
    if want & {"build", "run"}:
        # seeds are small reference tables: load them once, then copy for the floor
        run_step("dbt seed", [DBT, "seed", *dbt_args], env)
        if "floor" in want:
            shutil.copyfile(db, floor_db)
    manifest = folder / "manifest_full.json"
    if "build" in want:
        steps.append(measured(FULL_BUILD, [DBT, *BUILD, *dbt_args], env))
        # the first build compiled every incremental model in full mode: that SQL is the floor's
        shutil.copyfile(target / "manifest.json", manifest)
        shutil.copyfile(target / "run_results.json", folder / "run_results_full.json")
    if "run" in want:
        steps.append(measured(FULL_RUN, [DBT, "run", "--full-refresh", *dbt_args], env))
    if "floor" in want:
        steps.append(
            measured(
                FLOOR,
                [PY, "-c", FLOOR_SCRIPT, str(manifest), str(floor_db)],
                {**env, "CXW_DUCKDB_PATH": str(floor_db)},
            )
        )
    added: dict[str, int] = {}
    if "delivery" in want:
        # the next delivery: ~share new rows in the large tables, as full files (`full`) or
        # as files of only the new rows loaded with --delta (`delta`)
        delta = folder / "delta" if delivery == "delta" else None
        added = deliver_new_rows(landing, share=share, delta=delta)
        again = _cli("load", "--landing", str(delta or landing), "--database", str(db))
        again += ["--delta"] if delta else []
        steps.append(measured("load (next delivery)", again, env))
    if "incremental-build" in want:
        steps.append(measured(INC_BUILD, [DBT, *BUILD, *dbt_args], env))
    if "incremental-run" in want:
        steps.append(measured(INC_RUN, [DBT, "run", *dbt_args], env))
        shutil.copyfile(target / "run_results.json", folder / "run_results_incremental.json")
    for s in steps:
        s.pop("output", None)
        s["accounts"] = accounts
        s["raw_rows"] = raw_rows
        s["touchpoint_events"] = events
        s["new_rows"] = sum(added.values())
        s["delivery"] = delivery
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="10000,20000", help="accounts, comma-separated")
    parser.add_argument("--share", type=float, default=0.01, help="new rows in the next delivery")
    parser.add_argument(
        "--delivery",
        choices=("delta", "full"),
        default="delta",
        help="the next delivery as files of only the new rows, loaded with --delta (what the "
        "incremental target is about), or as full files again [delta]",
    )
    parser.add_argument("--work", type=Path, default=ROOT / "data" / "benchmark")
    parser.add_argument("--out", type=Path, help="write the Markdown table here")
    parser.add_argument(
        "--steps",
        default=",".join(STEPS),
        help=f"the steps to run, comma-separated (each needs the ones before it that it uses): "
        f"{', '.join(STEPS)} [all]",
    )
    parser.add_argument(
        "--clean",
        action="store_true",
        help="delete each scale's folder (landing files, databases) once it is measured",
    )
    parser.add_argument(
        "--table-from",
        type=Path,
        metavar="RESULTS_JSON",
        help="measure nothing: print (and --out) the tables of an earlier run's results.json",
    )
    args = parser.parse_args()
    if args.table_from:
        table = to_markdown(json.loads(args.table_from.read_text()), args.share)
        print(table)
        if args.out:
            args.out.write_text(table)
        return
    steps_wanted = parse_steps(args.steps)
    results = []
    for accounts in [int(s) for s in args.scales.split(",")]:
        print(f"== {accounts:,} accounts", file=sys.stderr, flush=True)
        measured_steps = bench_scale(accounts, args.work, args.share, steps_wanted, args.delivery)
        if args.clean:
            shutil.rmtree(args.work / f"scale_{accounts}", ignore_errors=True)
        for step in measured_steps:
            print(
                f"   {step['step']:<30} {step['seconds']:>8.1f} s wall "
                f"{step['cpu_seconds']:>8.1f} s CPU {step['peak_mib']:>7} MiB "
                f"(load average {step['load_before']:.1f} -> {step['load_after']:.1f})",
                file=sys.stderr,
                flush=True,
            )
            results.append(step)
        (args.work / "results.json").write_text(json.dumps(results, indent=2))
    table = to_markdown(results, args.share)
    print(table)
    if args.out:
        args.out.write_text(table)


if __name__ == "__main__":
    main()

"""scripts/benchmark.py's tables (scripts/benchmark_tables.py): the ratios against the
targets, in wall and in CPU seconds."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "benchmark_tables.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("benchmark_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _step(bench, accounts: int, step: str, wall: float, cpu: float | None) -> dict:
    row = {"accounts": accounts, "raw_rows": accounts * 70, "step": step, "seconds": wall}
    row["peak_mib"] = 100
    if cpu is not None:
        row["cpu_seconds"] = cpu
    return row


def _scale(bench, accounts: int, k: float, cpu: bool = True) -> list[dict]:
    """Every timed step of one scale; wall = cpu * 3 (a busy machine), figures scaled by k."""
    cpu_of = {
        bench.LOAD: 10.0,
        bench.LOAD_FLOOR: 4.0,
        bench.FULL_BUILD: 60.0,
        bench.FULL_RUN: 30.0,
        bench.FLOOR: 20.0,
        bench.INC_BUILD: 54.0,
        bench.INC_RUN: 24.0,
    }
    return [
        _step(bench, accounts, s, 3 * c * k + (7 if s == bench.FULL_BUILD else 0),
              c * k if cpu else None)
        for s, c in cpu_of.items()
    ]  # fmt: skip


def test_ratios_in_cpu_and_wall_seconds(bench):
    results = _scale(bench, 20000, 1.0) + _scale(bench, 40000, 1.5)
    cpu = {r["accounts"]: r for r in bench.ratios(results, "cpu_seconds")}
    wall = {r["accounts"]: r for r in bench.ratios(results, "seconds")}
    assert cpu[20000]["build_floor"] == pytest.approx(60 / 20)
    assert cpu[20000]["run_floor"] == pytest.approx(30 / 20)
    assert cpu[20000]["load_floor"] == pytest.approx(10 / 4)
    assert cpu[20000]["incremental_build"] == pytest.approx(54 / 60)
    assert cpu[20000]["incremental_run"] == pytest.approx(24 / 30)
    assert cpu[20000]["build_doubling"] is None  # no 10,000-account scale
    assert cpu[40000]["build_doubling"] == pytest.approx(1.5)
    assert cpu[40000]["load_doubling"] == pytest.approx(1.5)
    # wall: the full build carries 7 s more than 3x its CPU seconds
    assert wall[20000]["build_floor"] == pytest.approx((180 + 7) / 60)
    assert wall[40000]["build_doubling"] == pytest.approx((270 + 7) / (180 + 7))


def test_ratios_of_steps_not_run_are_missing(bench):
    only_load = [
        r for r in _scale(bench, 20000, 1.0) if r["step"] in (bench.LOAD, bench.LOAD_FLOOR)
    ]
    (row,) = bench.ratios(only_load, "cpu_seconds")
    assert row["load_floor"] == pytest.approx(2.5)
    assert row["build_floor"] is None and row["incremental_build"] is None


def test_markdown_shows_both_measures(bench):
    text = bench.to_markdown(_scale(bench, 20000, 1.0), 0.01)
    lines = text.splitlines()
    wall_row = next(line for line in lines if line.startswith("| 20,000 | wall |"))
    cpu_row = next(line for line in lines if line.startswith("| 20,000 | CPU |"))
    assert "| 3.00x |" in cpu_row and "| 90% |" in cpu_row and "| 2.50x |" in cpu_row
    assert f"| {187 / 60:.2f}x |" in wall_row
    # results of a run before CPU seconds were recorded: wall ratios only
    old = bench.to_markdown(_scale(bench, 20000, 1.0, cpu=False), 0.01)
    assert "| 20,000 | wall |" in old and "| CPU |" not in old

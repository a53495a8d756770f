"""scripts/support_cost.py: medians of alternated builds and the share the support nodes add."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _script():
    spec = importlib.util.spec_from_file_location("support_cost", ROOT / "scripts/support_cost.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(side: str, cpu: float, wall: float) -> dict:
    return {"side": side, "cpu_seconds": cpu, "seconds": wall, "peak_mib": 1000, "load_before": 1.0}


def test_the_share_is_the_ratio_of_the_median_cpu_seconds():
    script = _script()
    runs = [
        _run("without", 40.0, 30.0),
        _run("with", 52.0, 38.0),
        _run("with", 49.0, 35.0),
        _run("without", 44.0, 33.0),
        _run("without", 38.0, 29.0),
        _run("with", 70.0, 50.0),  # an outlier: the median ignores it
    ]
    s = script.summary(runs)
    assert s["without"]["median_cpu_seconds"] == 40.0
    assert s["with"]["median_cpu_seconds"] == 52.0
    assert s["added_share"] == 0.3  # 52 / 40 - 1
    assert s["met"] is False
    runs[1]["cpu_seconds"] = 50.0
    assert script.summary(runs)["added_share"] == 0.25
    assert script.summary(runs)["met"] is True


def test_the_build_without_them_excludes_every_support_path():
    script = _script()

    class Bench:
        DBT = "dbt"
        BUILD = ("build", "--exclude-resource-type", "unit_test")

    without = script.build_argv(Bench, without_support=True)
    with_them = script.build_argv(Bench, without_support=True)[: without.index("--exclude")]
    assert script.build_argv(Bench, without_support=False) == with_them
    excluded = without[without.index("--exclude") + 1 :]
    assert "path:models/marts/support" in excluded
    assert "path:models/staging/ticketing/support" in excluded
    assert "--full-refresh" in without
    for model in script.SUPPORT_INTERMEDIATE:
        assert (ROOT / "models/intermediate/support" / f"{model}.sql").exists(), model

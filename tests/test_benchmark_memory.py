"""scripts/benchmark.py measures a step's peak memory over its whole process tree and its CPU
seconds (children included)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def benchmark():
    spec = importlib.util.spec_from_file_location("benchmark_script", ROOT / "scripts/benchmark.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# two children at once, each touching `mib` MiB for 3 s, then a child burning ~1 CPU s
STEP = r"""
import subprocess, sys, time
mib = int(sys.argv[1])
hold = "b = bytearray({} * 1024 * 1024); time.sleep(3)".format(mib)
kids = [subprocess.Popen([sys.executable, "-c", "import time; " + hold]) for _ in range(2)]
for k in kids:
    k.wait()
subprocess.run([sys.executable, "-c",
                "import time; t = time.process_time()\nwhile time.process_time() - t < 1: pass"])
"""


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc")
def test_peak_counts_every_process_of_the_tree_and_cpu_of_children(benchmark):
    mib = 150
    result = benchmark.measured("tree", [sys.executable, "-c", STEP, str(mib)], {})
    # one child alone holds ~mib: getrusage's largest process; the two together ~2 * mib
    assert result["peak_mib"] >= 2 * mib
    assert result["peak_mib"] < 2 * mib + 200
    assert result["cpu_seconds"] >= 0.9


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc")
def test_tree_counts_children_not_the_root(benchmark):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(2)"])
    try:
        assert benchmark._tree_rss_kib(child.pid) == 0  # no children of its own
        assert benchmark._tree_rss_kib(os.getpid()) > 1024  # this test's child, a Python
    finally:
        child.wait()

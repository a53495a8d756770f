"""How `./cxw test` shares the suite between two pytest-xdist workers (scripts/test.sh runs
``pytest -n 2 --dist loadgroup``; tests/conftest.py registers ``FixtureGroups``).

A worker builds every module-, package- or session-scoped fixture for itself: a demo warehouse
built on both workers costs as much as the second core saves. So the tests go out in groups
that never split what a fixture shares:

- every test of a module in the same group (the module's fixtures: one build per module);
- every test using the same session- or package-scoped fixture of the suite's own (the demo
  warehouse of ``demo_run``, the golden marts, the report site, the Spark settings and
  cluster ...) in the same group, with the modules of those tests: one build per session, as
  without xdist, and one Spark JVM at a time. Cheap ones (a settings object, a PostgreSQL
  server: initdb and start, 1-3 s) do not tie their users together.

The groups go out heaviest first (a worker takes the next group when it is almost done with
its own, so the last to start are short ones and both workers end close together). A
module's weight is its seconds in ``SECONDS`` (from a whole run; only the order depends on
them), else ``PER_TEST`` seconds a test, plus ``PER_HEAVY_MODULE`` for a module with tests
marked ``slow``, ``spark`` or ``postgres``. Within a group the tests keep their collection
order (a module's tests stay together).

pytest-xdist's own ``loadgroup`` names each test's group into its node id, which pytest 9
no longer lets a plugin change: each worker writes the groups to a file instead (the
controller gives its path), and the controller's scheduler (``GroupScheduling``) reads them.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# session- and package-scoped fixtures that are cheap to make once per worker
CHEAP_FIXTURES = frozenset({"demo_settings", "postgres_server"})
HEAVY_MARKS = ("slow", "spark", "postgres")
PER_TEST = 0.5
PER_HEAVY_MODULE = 10.0
# seconds of the slowest modules (setup included) in a whole run on 2 busy cores (load 3-6),
# less what later cuts saved (issue 17, item 8). A shared fixture counts with the first
# module of its group that uses it: demo_run (about 100 s) with test_expectations_can_fail,
# the second main-job run of tests/reruns.py (about 80 s) with test_main_job.
SECONDS = {
    "tests/engines/test_engines_agree.py": 640,
    "tests/adapters/test_vendor_demo_equal.py": 270,
    "tests/test_reliability.py": 180,
    "tests/test_staging_guard.py": 150,
    "tests/reports/test_evidence_build.py": 140,
    "tests/expectations/test_expectations_can_fail.py": 110,
    "tests/test_incremental.py": 75,
    "tests/test_main_job.py": 75,
    "tests/engines/test_column_rules_engines.py": 70,
    "tests/test_delta_delivery.py": 60,
    "tests/engines/test_vendor_demo_postgres.py": 60,
    "tests/test_main_job_support_ops.py": 60,
    "tests/metrics/test_golden_closed_loop.py": 55,
    "tests/engines/test_spark_optional_tables.py": 45,
    "tests/adapters/test_vendor_attributes.py": 30,
    "tests/reports/test_report_labels.py": 30,
    "tests/adapters/test_qualtrics.py": 30,
    "tests/adapters/test_zendesk_support.py": 30,
    "tests/golden_marts/test_customers_and_people.py": 30,
    "tests/test_kill_main_job.py": 25,
    "tests/adapters/test_hubspot.py": 25,
}
WORKER_GROUPS_KEY = "cxw_groups_dir"


def _shared_fixtures(item: pytest.Item) -> list[str]:
    """The session- and package-scoped fixtures of the suite's own (not pytest's: those
    have no base id) that ``item`` uses, directly or through other fixtures."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return []
    shared = []
    for name in info.names_closure:
        definitions = info.name2fixturedefs.get(name)
        if not definitions or name in CHEAP_FIXTURES:
            continue
        fixture = definitions[-1]
        if fixture.scope in ("session", "package") and fixture.baseid:
            shared.append(f"{name}@{fixture.baseid}")
    return shared


def _module_seconds(module: str, items: list[pytest.Item]) -> float:
    if module in SECONDS:
        return SECONDS[module]
    heavy = any(item.get_closest_marker(m) for item in items for m in HEAVY_MARKS)
    return PER_TEST * len(items) + (PER_HEAVY_MODULE if heavy else 0.0)


def group(items: list[pytest.Item]) -> dict[str, str]:
    """Reorder ``items`` in place, heaviest group first; returns each test's group (its node
    id to the group's name)."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    by_module: dict[str, list[pytest.Item]] = {}
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        by_module.setdefault(module, []).append(item)
        find(f"module:{module}")
        for fixture in _shared_fixtures(item):
            parent[find(f"module:{module}")] = find(f"fixture:{fixture}")

    # a group's name: its shared fixtures' names where it has any, else its module's path
    members: dict[str, list[str]] = {}
    for key in parent:
        members.setdefault(find(key), []).append(key)
    names = {}
    for root, keys in members.items():
        fixtures = sorted({k.split(":", 1)[1].split("@", 1)[0] for k in keys if k[0] == "f"})
        modules = sorted(k.split(":", 1)[1] for k in keys if k[0] == "m")
        names[root] = "+".join(fixtures) if fixtures else modules[0]
    group_of = {module: names[find(f"module:{module}")] for module in by_module}

    weights: dict[str, float] = {}
    for module, module_items in by_module.items():
        name = group_of[module]
        weights[name] = weights.get(name, 0.0) + _module_seconds(module, module_items)
    first = {}
    for index, item in enumerate(items):
        first.setdefault(group_of[item.nodeid.split("::", 1)[0]], index)

    def order(pair: tuple[int, pytest.Item]) -> tuple[float, int, int]:
        index, item = pair
        name = group_of[item.nodeid.split("::", 1)[0]]
        return (-weights[name], first[name], index)

    items[:] = [item for _, item in sorted(enumerate(items), key=order)]
    return {item.nodeid: group_of[item.nodeid.split("::", 1)[0]] for item in items}


def _scheduler_class():
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        """pytest-xdist's scope scheduling, a scope being a group of ``group`` (read from
        the file a worker wrote), in the workers' collection order (heaviest first)."""

        def __init__(self, config: pytest.Config, groups_dir: Path, log=None) -> None:
            super().__init__(config, log)
            config.option.loadscopereorder = False  # keep the order the workers collected
            self.groups_dir = groups_dir
            self.groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:
                written = sorted(self.groups_dir.glob("*.json"))
                if not written:
                    raise RuntimeError(f"no worker wrote its test groups to {self.groups_dir}")
                self.groups = json.loads(written[0].read_text(encoding="utf-8"))
            return self.groups.get(nodeid, nodeid)

    return GroupScheduling


class FixtureGroups:
    """The plugin: in the controller, a folder for the groups and the scheduler reading them;
    in a worker, the grouping and ordering of the collected tests (with ``--dist
    loadgroup`` only)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.groups_dir: Path | None = None

    def _active(self) -> bool:
        if hasattr(self.config, "workerinput"):
            return WORKER_GROUPS_KEY in self.config.workerinput
        return self.config.getoption("dist", "no") == "loadgroup"

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node) -> None:
        if not self._active():
            return
        if self.groups_dir is None:
            self.groups_dir = Path(tempfile.mkdtemp(prefix="cxw-test-groups-"))
        node.workerinput[WORKER_GROUPS_KEY] = str(self.groups_dir)

    @pytest.hookimpl(optionalhook=True, tryfirst=True)
    def pytest_xdist_make_scheduler(self, config: pytest.Config, log):
        if not self._active() or self.groups_dir is None:
            return None
        return _scheduler_class()(config, self.groups_dir, log)

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        if not (hasattr(self.config, "workerinput") and self._active()):
            return
        groups = group(items)
        folder = Path(self.config.workerinput[WORKER_GROUPS_KEY])
        worker = self.config.workerinput.get("workerid", str(os.getpid()))
        part = folder / f"{worker}.part"
        part.write_text(json.dumps(groups), encoding="utf-8")
        part.replace(folder / f"{worker}.json")  # whole or not at all

    def pytest_unconfigure(self) -> None:
        if self.groups_dir is not None:
            shutil.rmtree(self.groups_dir, ignore_errors=True)

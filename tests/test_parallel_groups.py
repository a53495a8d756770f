"""How `./cxw test` shares the tests between its workers (tests/parallel.py): a module's
tests and the users of a shared (session or package) fixture stay in one group, cheap
fixtures tie nobody, and the heaviest group goes first."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

from tests import parallel


@dataclass
class FakeItem:
    nodeid: str
    fixtures: dict[str, tuple[str, str]] = field(default_factory=dict)  # name: (scope, baseid)
    marks: tuple[str, ...] = ()

    @property
    def _fixtureinfo(self):
        return SimpleNamespace(
            names_closure=list(self.fixtures),
            name2fixturedefs={
                name: [SimpleNamespace(scope=scope, baseid=baseid)]
                for name, (scope, baseid) in self.fixtures.items()
            },
        )

    def get_closest_marker(self, name: str):
        return name if name in self.marks else None

    def __hash__(self) -> int:
        return hash(self.nodeid)


DEMO = {"demo_run": ("session", "tests")}
SERVER = {"postgres_server": ("session", "tests"), "tmp_path_factory": ("session", "")}


def test_shared_fixtures_and_modules_keep_their_tests_together(monkeypatch):
    monkeypatch.setattr(parallel, "SECONDS", {"tests/test_b.py": 100})
    items = [  # as pytest collects them: module by module
        FakeItem("tests/test_a.py::test_1"),
        FakeItem("tests/test_a.py::test_2", SERVER),
        FakeItem("tests/test_b.py::test_1"),
        FakeItem("tests/test_c.py::test_1", DEMO),
        FakeItem("tests/test_c.py::test_2"),
        FakeItem("tests/test_d.py::test_1", SERVER),
        FakeItem("tests/sub/test_e.py::test_1"),
        FakeItem("tests/sub/test_e.py::test_2", DEMO, marks=("slow",)),
    ]
    groups = parallel.group(items)

    # users of demo_run (tests/test_c.py and tests/sub/test_e.py) and all their modules' tests
    demo = {n for n, g in groups.items() if g == "demo_run"}
    assert demo == {
        "tests/test_c.py::test_1",
        "tests/test_c.py::test_2",
        "tests/sub/test_e.py::test_1",
        "tests/sub/test_e.py::test_2",
    }
    # a PostgreSQL server and pytest's own fixtures tie nobody: a and d stay apart
    assert groups["tests/test_a.py::test_1"] == groups["tests/test_a.py::test_2"]
    assert groups["tests/test_a.py::test_2"] != groups["tests/test_d.py::test_1"]
    assert len(set(groups.values())) == 4

    # heaviest first: b (100 s listed), demo_run (4 tests, one module marked slow:
    # 4 * PER_TEST + PER_HEAVY_MODULE), then a (2 tests), then d (1 test)
    order = [groups[i.nodeid] for i in items]
    assert order == sorted(order, key=lambda g: list(dict.fromkeys(order)).index(g))
    assert list(dict.fromkeys(order)) == [
        "tests/test_b.py",
        "demo_run",
        "tests/test_a.py",
        "tests/test_d.py",
    ]
    # within a group, the collection order
    assert [i.nodeid for i in items if groups[i.nodeid] == "demo_run"] == [
        "tests/test_c.py::test_1",
        "tests/test_c.py::test_2",
        "tests/sub/test_e.py::test_1",
        "tests/sub/test_e.py::test_2",
    ]

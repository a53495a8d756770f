"""The full list of asset keys and asset check keys of the Dagster definitions, compared with
the committed snapshot tests/orchestration/asset_keys.txt, so that every change to the graph (a
model, a dbt test, an expectation suite, an asset) shows in review as a diff of that file.

After changing the graph on purpose, regenerate the snapshot and commit it with the change:

    CXW_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/orchestration/test_asset_keys_snapshot.py
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from orchestration.definitions import defs

SNAPSHOT = Path(__file__).with_name("asset_keys.txt")
HEADER = (
    "# Every asset key and asset check key of orchestration.definitions, sorted.\n"
    "# Regenerate on purpose: CXW_UPDATE_SNAPSHOTS=1 .venv/bin/pytest "
    "tests/orchestration/test_asset_keys_snapshot.py\n"
)


def graph_lines(definitions: dg.Definitions) -> list[str]:
    """One line per asset (`asset <key>`) and per check (`check <asset key>:<check name>`)."""
    graph = definitions.resolve_asset_graph()
    assets = [f"asset {key.to_user_string()}" for key in graph.get_all_asset_keys()]
    checks = [
        f"check {key.asset_key.to_user_string()}:{key.name}" for key in graph.asset_check_keys
    ]
    return sorted(assets) + sorted(checks)


def test_asset_and_check_keys_match_the_snapshot():
    lines = graph_lines(defs)
    assert any(line.startswith("asset ") for line in lines)
    assert any(line.startswith("check ") for line in lines)
    current = HEADER + "".join(f"{line}\n" for line in lines)
    if os.environ.get("CXW_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(current)
    committed = SNAPSHOT.read_text() if SNAPSHOT.exists() else HEADER
    expected = [line for line in committed.splitlines() if not line.startswith("#")]
    added = sorted(set(lines) - set(expected))
    removed = sorted(set(expected) - set(lines))
    assert not added and not removed, (
        f"the asset graph differs from {SNAPSHOT.name}: {len(added)} keys added "
        f"{added[:10]}, {len(removed)} removed {removed[:10]}. If the change is meant, "
        "regenerate with CXW_UPDATE_SNAPSHOTS=1 (see this test's docstring) and commit the file."
    )
    assert expected == lines, f"{SNAPSHOT.name} is not sorted: regenerate it"

"""dagster-dbt's per-command folders under target/ are pruned to the newest few
(lib/dbt_target_folders.py), through the job's dbt resource."""

from __future__ import annotations

import os
from pathlib import Path

from lib import dbt_target_folders


def _folders(target: Path, count: int) -> list[Path]:
    """`count` invocation folders, oldest first, each with a file in it."""
    made = []
    for i in range(count):
        folder = target / f"dbt_models-{i:07x}-abcdef{i % 10}"
        (folder / "compiled").mkdir(parents=True)
        (folder / "dbt.log").write_text("log\n")
        os.utime(folder, (1_000_000 + i * 60, 1_000_000 + i * 60))
        made.append(folder)
    return made


def test_prune_keeps_the_newest_and_everything_else(tmp_path: Path):
    made = _folders(tmp_path, 8)
    (tmp_path / "compiled").mkdir()
    (tmp_path / "manifest.json").write_text("{}")
    (tmp_path / "ci-parse").mkdir()
    removed = dbt_target_folders.prune(tmp_path, keep=3)
    assert sorted(removed) == sorted(made[:5])
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([*(p.name for p in made[5:]), "compiled", "manifest.json", "ci-parse"])


def test_the_jobs_dbt_resource_prunes_before_each_command(tmp_path: Path, monkeypatch):
    from orchestration.resources import build_resources

    made = _folders(tmp_path, 9)
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path))  # absolute: dagster-dbt keeps it
    dbt = build_resources()["dbt"]
    new = dbt._get_unique_target_path(context=None)
    assert new.parent == tmp_path
    kept = dbt_target_folders.KEEP - 1  # and the new command's own folder makes KEEP
    assert sorted(p for p in tmp_path.iterdir()) == sorted(made[-kept:])

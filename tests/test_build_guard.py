"""`cxw build` guards incremental staging as the main job does (cli/commands/build.py,
publishing/state.guard_staging, lib/staging_guard.py), and a plain `dbt build` on a base_
model whose columns changed stops with a clear error (macros/incremental_staging.sql,
staging_check_columns).

- Without dbt: which dbt arguments the guard reads; the guard's decision and record.
- On a copy of the project and a small warehouse staged by `cxw build` (a module fixture):
  a base_ model gains a column; `cxw build` rebuilds staging in full, says why in one
  `note:` line, the column is filled for every row and the record is written; a second
  `cxw build` is incremental (no note, no row staged again). A plain `dbt build` on the
  same change fails naming the model and `--full-refresh`. With `--select`, a changed seed
  gives a full refresh of the selection, and no record.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest

from lib import staging_guard
from lib.settings import PROJECT_DIR, SOURCE_VARIABLE
from publishing.state import guard_staging, record_staged_inputs, staged_inputs
from tests.conftest import make_settings
from tests.dbt_helpers import RAW_SCHEMA_VARIABLES, columns, query, release_duckdb

STAGING = ["--select", "+path:models/staging", "--exclude", "resource_type:test"]
EVENTS = "staging.base_ticketing__ticket_events"
NEW_COLUMN = "event_type_or_none"


# ------------------------------------------------------------------------------ no dbt
def test_dbt_arguments_the_guard_reads(monkeypatch):
    from cli.commands.build import chosen_target, full_refresh_asked, parse_options

    args = ["-s", "marts", "--vars", "{a: 1}", "--target=postgres", "--threads", "2"]
    assert parse_options(args) == ["--vars", "{a: 1}", "--target", "postgres"]
    assert chosen_target(args, "duckdb") == "postgres"
    assert chosen_target(["-s", "marts"], "duckdb") == "duckdb"
    assert chosen_target(["-t", "spark"], "duckdb") == "spark"
    assert not full_refresh_asked(args, {})
    assert full_refresh_asked([*args, "--full-refresh"], {})
    assert full_refresh_asked(["-f"], {})
    assert full_refresh_asked([], {"DBT_FULL_REFRESH": "true"})
    assert not full_refresh_asked([], {"DBT_FULL_REFRESH": "false"})


@pytest.fixture(scope="module")
def manifest() -> dict:
    from lib.dbt_manifest import ensure_manifest

    return json.loads(ensure_manifest().read_text())


def test_guard_records_only_after_every_base_model(manifest, tmp_path, monkeypatch):
    monkeypatch.setenv("CXW_DUCKDB_PATH", str(tmp_path / "w.duckdb"))
    guard = guard_staging(tmp_path, manifest, "duckdb", PROJECT_DIR)
    assert guard.reason == "no record yet of what staging was built with: staging built in full"
    assert guard.inputs == staging_guard.fingerprints(
        manifest, staging_guard.project_vars(PROJECT_DIR)
    )
    assert len(guard.staging) == 10 and "base_crm__orders" in guard.staging
    some = sorted(guard.staging)[1:] + ["customers"]
    assert not guard.record(tmp_path, some)  # base_ models left out (--select)
    assert staged_inputs(tmp_path, guard.where) is None
    assert guard.record(tmp_path, [*guard.staging, "customers"], "r1")
    assert staged_inputs(tmp_path, guard.where) == guard.inputs
    assert guard_staging(tmp_path, manifest, "duckdb", PROJECT_DIR).reason is None
    asked = guard_staging(tmp_path, manifest, "duckdb", PROJECT_DIR, asked=True)
    assert asked.reason.startswith("--full-refresh asked for")
    spark = guard_staging(tmp_path / "s", manifest, "spark", PROJECT_DIR)
    assert spark.inputs == {} and spark.reason is None
    assert not spark.record(tmp_path / "s", guard.staging)  # Spark: nothing to record


# ------------------------------------------------------------- dbt on a project copy
def _cxw_build(project: Path, settings, *dbt_args: str) -> list[str]:
    """`cxw build <dbt_args>` (cli/commands/build.build) on `project`; its `note:` lines."""
    from cli.commands.build import build

    out = io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CXW_DUCKDB_PATH", str(settings.database))
        mp.setenv("DBT_TARGET", "duckdb")
        mp.delenv("DBT_FULL_REFRESH", raising=False)
        for name in (*RAW_SCHEMA_VARIABLES, *SOURCE_VARIABLE.values()):
            mp.delenv(name, raising=False)
        mp.chdir(project)
        try:
            with contextlib.redirect_stdout(out):
                build(settings, [*dbt_args, "--quiet"], project)
        finally:
            release_duckdb()
    return [line for line in out.getvalue().splitlines() if line.startswith("note:")]


def _where(settings) -> str:
    return staging_guard.warehouse_identity("duckdb", {"CXW_DUCKDB_PATH": str(settings.database)})


def _parsed_inputs(project: Path) -> dict[str, str]:
    """The fingerprints of the project as its last parse left it (target/manifest.json)."""
    parsed = json.loads((project / "target" / "manifest.json").read_text())
    return staging_guard.fingerprints(parsed, staging_guard.project_vars(project))


@pytest.fixture(scope="module")
def staged(tmp_path_factory) -> tuple[Path, Path]:
    """A copy of the project and a data folder (120 accounts) staged by `cxw build`."""
    from demo_data.generator import generate
    from ingest.landing import load_landing

    base = tmp_path_factory.mktemp("build-guard")
    project = base / "project"
    for name in ("models", "macros", "seeds", "tests/dbt"):
        shutil.copytree(PROJECT_DIR / name, project / name)
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy2(PROJECT_DIR / name, project / name)
    settings = make_settings(base / "data")
    generate(settings.landing_dir, accounts=120, seed=5, months=6)
    load_landing(settings.landing_dir, settings.database)
    notes = _cxw_build(project, settings, *STAGING)
    assert notes == ["note: no record yet of what staging was built with: staging built in full"]
    assert staged_inputs(settings.publish_dir, _where(settings)) == _parsed_inputs(project)
    return project, settings.data_dir


def _copy(staged, tmp_path: Path):
    """A copy of the staged project and data folder, with its record under its own path."""
    project, data = staged
    shutil.copytree(project, tmp_path / "project")
    shutil.copytree(data, tmp_path / "data")
    source, settings = make_settings(data), make_settings(tmp_path / "data")
    recorded = staged_inputs(source.publish_dir, _where(source))
    assert recorded
    record_staged_inputs(settings.publish_dir, _where(settings), recorded)
    return tmp_path / "project", settings, recorded


def _add_column(project: Path) -> None:
    """base_ticketing__ticket_events gains a column (its SQL and its YAML)."""
    model = project / "models/staging/ticketing/base/base_ticketing__ticket_events.sql"
    text, at = model.read_text(), "        ranked.new_status,\n"
    assert text.count(at) == 1
    added = f"        coalesce(ranked.event_type, 'none') as {NEW_COLUMN},\n"
    model.write_text(text.replace(at, at + added))
    yml = project / "models/staging/ticketing/_ticketing__models.yml"
    text = yml.read_text()
    anchor = "      - name: new_status\n"
    at = text.index(anchor, text.index("  - name: base_ticketing__ticket_events\n"))
    entry = f"      - name: {NEW_COLUMN}\n        description: the event type, or none.\n"
    yml.write_text(text[:at] + entry + text[at:])


STAGED_AT = f"select _staged_at, count(*) from {EVENTS} group by 1 order by 1"


@pytest.mark.slow
def test_cxw_build_rebuilds_staging_when_a_base_model_gained_a_column(staged, tmp_path, manifest):
    project, settings, recorded = _copy(staged, tmp_path)
    # what the main job computes for the same project is what `cxw build` recorded: the two
    # take turns on one warehouse without rebuilding staging for nothing
    assert recorded == staging_guard.fingerprints(manifest, staging_guard.project_vars(PROJECT_DIR))
    rows = query(settings.database, f"select count(*) from {EVENTS}")[0][0]
    before = query(settings.database, STAGED_AT)
    assert rows > 0 and NEW_COLUMN not in columns(settings.database, EVENTS)

    _add_column(project)
    notes = _cxw_build(project, settings, *STAGING)
    assert notes == ["note: model base_ticketing__ticket_events changed: staging rebuilt in full"]
    assert NEW_COLUMN in columns(settings.database, EVENTS)
    filled = query(
        settings.database,
        f"select count(*), count(*) filter (where {NEW_COLUMN} = coalesce(event_type, 'none')) "
        f"from {EVENTS}",
    )[0]
    assert filled == (rows, rows)  # every old row judged again, none left NULL
    rebuilt = query(settings.database, STAGED_AT)
    assert len(rebuilt) == 1 and rebuilt[0][0] > before[-1][0]  # all staged by this build
    inputs = staged_inputs(settings.publish_dir, _where(settings))
    assert inputs == _parsed_inputs(project) and inputs != recorded

    # nothing changed: incremental, no row staged again
    assert _cxw_build(project, settings, *STAGING) == []
    assert query(settings.database, STAGED_AT) == rebuilt
    assert staged_inputs(settings.publish_dir, _where(settings)) == inputs


@pytest.mark.slow
def test_plain_dbt_build_stops_clearly_when_a_base_model_gained_a_column(staged, tmp_path):
    from dbt.cli.main import dbtRunner

    project, settings, _ = _copy(staged, tmp_path)
    _add_column(project)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CXW_DUCKDB_PATH", str(settings.database))
        mp.setenv("DBT_TARGET", "duckdb")
        for name in (*RAW_SCHEMA_VARIABLES, *SOURCE_VARIABLE.values()):
            mp.delenv(name, raising=False)
        mp.chdir(project)
        try:
            result = dbtRunner().invoke(
                ["build", *STAGING, "--project-dir", str(project), "--profiles-dir",
                 str(project), "--quiet"]
            )  # fmt: skip
        finally:
            release_duckdb()
    assert not result.success
    failed = {r.node.name: r.message for r in result.result.results if str(r.status) == "error"}
    assert list(failed) == ["base_ticketing__ticket_events"], failed
    message = failed["base_ticketing__ticket_events"]
    said = "the columns of the model (as its YAML describes them) changed since its table"
    assert message.count(f"base_ticketing__ticket_events: {said}") == 1, message
    assert f"lacks {NEW_COLUMN}" in message
    assert "run with --full-refresh (the main job and `cxw build` do this by themselves)" in (
        message
    )
    assert NEW_COLUMN not in columns(settings.database, EVENTS)


@pytest.mark.slow
def test_cxw_build_with_a_select_refreshes_the_selection_and_records_nothing(staged, tmp_path):
    project, settings, recorded = _copy(staged, tmp_path)
    seed = project / "seeds" / "reference" / "channel_map.csv"
    assert "\nchat,chat\n" in seed.read_text()
    seed.write_text(seed.read_text().replace("\nchat,chat\n", "\nchat,web\n"))

    notes = _cxw_build(
        project, settings, "--select", "+base_ticketing__tickets", "--exclude",
        "resource_type:test",
    )  # fmt: skip
    assert notes == ["note: reference seed channel_map changed: staging rebuilt in full"]
    chat = query(
        settings.database,
        "select count(*), count(*) filter (where channel = 'web') "
        "from staging.base_ticketing__tickets where channel_code = 'chat'",
    )[0]
    assert chat[0] > 0 and chat[0] == chat[1]  # the selection rebuilt in full, new seed
    # base_ models outside the selection keep rows judged with the old seed: no record
    assert staged_inputs(settings.publish_dir, _where(settings)) == recorded
    assert _parsed_inputs(project) != recorded

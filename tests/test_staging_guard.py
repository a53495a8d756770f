"""The staging guard (lib/staging_guard.py, issue 17 item 3): incremental staging judges a raw
row once, so after a change to a reference seed, a base_ model or a macro they call, the main
job builds with --full-refresh and says why in its summary.

- Fingerprints of the project's own manifest: what they cover, what a change says.
- dbt on a copy of the project: stage, change seeds/reference/channel_map.csv, stage again
  as the guard decides; the staging tables equal a first build with the new seed, and the
  build the guard replaced (incremental, no flag) does not (the test can fail).
- The main job: on a copy of the shared demo warehouse with a staged row altered (a row
  judged with another seed), a run whose record names another channel_map rebuilds staging
  in full (the row is right again) and says so in one line (that run is shared with
  tests/test_main_job.py: tests/reruns.py); on a copy of what it left, with the row altered
  again, a run with nothing changed keeps it (staging stays incremental).
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from lib import staging_guard
from lib.settings import PROJECT_DIR
from publishing.state import STAGING_INPUTS_FILE, record_staged_inputs, staged_inputs
from tests.dbt_helpers import difference, query, release_duckdb, table_rows, tables
from tests.reruns import SEED, STILL_ALTERED, alter_staged_rows, copy_data


@pytest.fixture(scope="module")
def manifest() -> dict:
    from lib.dbt_manifest import ensure_manifest

    return json.loads(ensure_manifest().read_text())


def _with(manifest: dict, change) -> dict:
    changed = copy.deepcopy(manifest)
    change(changed)
    return changed


# --------------------------------------------------------------------------- fingerprints
def test_fingerprints_cover_seeds_models_and_macros_of_staging(manifest):
    found = staging_guard.fingerprints(manifest, {})
    assert len(staging_guard.staging_models(manifest)) == 10
    assert {SEED, "model base_crm__orders", "model stg_crm__accounts"} <= set(found)
    # the macros of the incremental branch, which dbt does not list (parsed as a full build)
    assert {"macro staging_changes", "macro quarantine_reason", "macro try_cast_decimal"} <= set(
        found
    )
    assert "macro duckdb__try_cast_decimal" in found  # adapter versions too
    # not upstream of staging: a mart, a seed only marts read
    assert "model customers" not in found and "reference seed customer_tiers" not in found


def test_a_changed_seed_model_or_macro_is_named(manifest):
    before = staging_guard.fingerprints(manifest, {})
    seed = _with(
        manifest,
        lambda m: m["nodes"]["seed.cx_warehouse.channel_map"]["checksum"].update(checksum="0"),
    )
    assert staging_guard.rebuild_reason(staging_guard.fingerprints(seed, {}), before) == (
        "reference seed channel_map changed: staging rebuilt in full"
    )

    def edit(m):
        m["macros"]["macro.cx_warehouse.staging_changes"]["macro_sql"] += " "
        m["nodes"]["model.cx_warehouse.base_survey__answers"]["checksum"]["checksum"] = "0"

    both = staging_guard.changes(staging_guard.fingerprints(_with(manifest, edit), {}), before)
    assert both == ["macro staging_changes changed", "model base_survey__answers changed"]
    mart = _with(
        manifest,
        lambda m: m["nodes"]["model.cx_warehouse.customers"]["checksum"].update(checksum="0"),
    )
    assert staging_guard.rebuild_reason(staging_guard.fingerprints(mart, {}), before) is None


def test_first_build_asked_and_any_target(manifest):
    current = staging_guard.fingerprints(manifest, {})
    assert "no record yet" in staging_guard.rebuild_reason(current, None)
    assert staging_guard.rebuild_reason(current, current) is None
    assert "--full-refresh asked for" in staging_guard.rebuild_reason(current, current, True)

    def as_tables(m):  # as parsed for Spark: the base_ models are tables
        for node in m["nodes"].values():
            if node["name"].startswith("base_"):
                node["config"]["materialized"] = "table"

    # the same fingerprints whichever target the manifest was parsed for
    assert staging_guard.fingerprints(_with(manifest, as_tables), {}) == current
    assert not staging_guard.guarded("spark") and staging_guard.guarded("postgres")


def test_record_is_kept_per_warehouse(tmp_path: Path):
    duck = staging_guard.warehouse_identity("duckdb", {"CXW_DUCKDB_PATH": "/x/w.duckdb"})
    pg = staging_guard.warehouse_identity("postgres", {"CXW_PG_PORT": "5999"})
    assert staged_inputs(tmp_path, duck) is None
    record_staged_inputs(tmp_path / "published", duck, {SEED: "a"}, "run1")
    record_staged_inputs(tmp_path / "published", pg, {SEED: "b"})
    assert staged_inputs(tmp_path / "published", duck) == {SEED: "a"}
    assert staged_inputs(tmp_path / "published", pg) == {SEED: "b"}
    (tmp_path / "published" / STAGING_INPUTS_FILE).write_text("{not json")
    assert staged_inputs(tmp_path / "published", duck) is None  # unreadable: a full refresh


def test_a_record_that_cannot_be_written_leaves_the_old_one(tmp_path: Path, monkeypatch):
    import publishing.state as state

    record_staged_inputs(tmp_path, "w", {SEED: "old"})

    def full_disk(path: Path, payload: dict) -> None:
        path.write_text("{")  # half written, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(state, "write_json", full_disk)
    assert not record_staged_inputs(tmp_path, "w", {SEED: "new"})
    assert staged_inputs(tmp_path, "w") == {SEED: "old"}  # the next run rebuilds in full
    assert sorted(p.name for p in tmp_path.iterdir()) == [STAGING_INPUTS_FILE]


# ------------------------------------------------------------------- dbt on a project copy
STAGING = ["--select", "+path:models/staging", "--exclude", "resource_type:test"]


def _dbt(project: Path, database: Path, *args: str):
    from dbt.cli.main import dbtRunner

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CXW_DUCKDB_PATH", str(database))
        mp.setenv("DBT_TARGET", "duckdb")
        for name in ("CXW_RAW_CRM_SCHEMA", "CXW_RAW_TICKETING_SCHEMA", "CXW_RAW_SURVEY_SCHEMA"):
            mp.delenv(name, raising=False)
        mp.chdir(project)
        try:
            result = dbtRunner().invoke(
                [*args, "--project-dir", str(project), "--profiles-dir", str(project),
                 "--log-path", str(project / "logs"), "--quiet"]
            )  # fmt: skip
        finally:
            release_duckdb()
    assert result.success, f"dbt {' '.join(args)} failed: {result.exception}"


def _staging(database: Path) -> dict[str, object]:
    """Every staging table's rows (when a row was staged left out)."""
    found = {}
    for table in tables(database, ("staging",)):
        columns = {
            c
            for (c,) in query(
                database,
                "select column_name from information_schema.columns "
                f"where table_schema || '.' || table_name = '{table}'",
            )
        }
        found[table] = table_rows(
            database, table, ("_staged_at",) if "_staged_at" in columns else ()
        )
    return found


def _differences(a: dict, b: dict) -> list[str]:
    assert a.keys() == b.keys()
    return [line for t in a if (line := difference(t, a[t], b[t], "here", "in the reference"))]


@pytest.mark.slow
def test_changed_seed_between_builds_gives_a_full_refresh(tmp_path: Path):
    from demo_data.generator import generate
    from ingest.landing import load_landing

    project = tmp_path / "project"
    for name in ("models", "macros", "seeds", "tests/dbt"):
        shutil.copytree(PROJECT_DIR / name, project / name)
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy2(PROJECT_DIR / name, project / name)
    generate(tmp_path / "landing", accounts=120, seed=5, months=6)
    database = tmp_path / "warehouse.duckdb"  # one path: dbt parses the project only partly
    load_landing(tmp_path / "landing", database)

    def inputs():
        built = json.loads((project / "target" / "manifest.json").read_text())
        return staging_guard.fingerprints(built, staging_guard.project_vars(project))

    _dbt(project, database, "build", *STAGING)
    recorded = inputs()
    before = tmp_path / "before.duckdb"
    shutil.copyfile(database, before)

    seed = project / "seeds" / "reference" / "channel_map.csv"
    assert "\nchat,chat\n" in seed.read_text()
    seed.write_text(seed.read_text().replace("\nchat,chat\n", "\nchat,web\n"))
    _dbt(project, database, "parse")
    reason = staging_guard.rebuild_reason(inputs(), recorded)
    assert reason == "reference seed channel_map changed: staging rebuilt in full"
    _dbt(project, database, "build", *STAGING, "--full-refresh")  # as the guard builds
    guarded = _staging(database)

    shutil.copyfile(before, database)  # what the build would have been without the guard
    _dbt(project, database, "build", *STAGING)
    unguarded = _staging(database)

    shutil.copyfile(before, database)  # the reference: staging built afresh on the same raw
    con = duckdb.connect(str(database))
    try:
        con.execute("drop schema staging cascade")
        con.execute("drop schema reference cascade")
    finally:
        con.close()
    _dbt(project, database, "build", *STAGING)
    reference = _staging(database)

    assert not _differences(guarded, reference), "\n".join(_differences(guarded, reference))
    stale = _differences(unguarded, reference)
    assert any("base_ticketing__tickets" in line for line in stale), stale
    chat = query(
        database,
        "select count(*), count(*) filter (where channel = 'web') "
        "from staging.base_ticketing__tickets where channel_code = 'chat'",
    )[0]
    assert chat[0] > 0 and chat[0] == chat[1]


# ------------------------------------------------------------------------------ main job
@pytest.mark.slow
def test_main_job_rebuilds_staging_when_a_seed_changed(seed_changed_rerun, tmp_path):
    from cli.run_job import run_main_job
    from tests.conftest import DEMO

    # the record names another channel_map: staging is rebuilt in full, and the summary says
    # so (tests/reruns.py: the run on a copy of the demo, a staged row altered before it)
    rebuilt = seed_changed_rerun.outcome
    settings, where = seed_changed_rerun.settings, seed_changed_rerun.where
    inputs, altered = seed_changed_rerun.inputs, seed_changed_rerun.altered
    assert altered > 0
    assert rebuilt.success, rebuilt.summary()
    line = "reference seed channel_map changed: staging rebuilt in full"
    assert rebuilt.notes == [line]
    assert f"note:              {line}" in rebuilt.summary()
    assert query(settings.database, STILL_ALTERED)[0] == (0, altered)
    assert staged_inputs(settings.publish_dir, where) == inputs  # recorded again

    # nothing changed (a copy of that folder, with a record of its own): staging stays
    # incremental, the altered rows stay as they are
    settings = copy_data(settings, tmp_path / "data")
    where = staging_guard.warehouse_identity("duckdb", {"CXW_DUCKDB_PATH": str(settings.database)})
    record_staged_inputs(settings.publish_dir, where, inputs)  # the copy's own record
    altered = alter_staged_rows(settings.database)
    assert altered > 0
    again = run_main_job(settings, demo=DEMO)
    assert again.success, again.summary()
    assert not again.notes and "note:" not in again.summary()
    assert query(settings.database, STILL_ALTERED)[0] == (altered, altered)

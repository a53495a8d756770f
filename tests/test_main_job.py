"""The main job end to end at a tiny scale: it publishes on good data, and on broken data the
gate stops it, nothing is published and the last good release stays in place."""

from __future__ import annotations

import json
import math
import re
import shutil
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from cli.run_job import run_main_job
from lib.settings import Settings
from tests.conftest import make_settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def settings(demo_settings: Settings) -> Settings:
    return demo_settings


@pytest.fixture(scope="module")
def good_run(demo_run):
    return demo_run


def test_good_data_is_published(good_run, settings: Settings):
    assert good_run.success, good_run.summary()
    assert good_run.published
    assert good_run.count("failed") == 0
    assert good_run.count("passed") >= 10  # one blocking check per raw suite at least
    # every raw table was loaded, and the summary says how many rows
    assert set(good_run.rows_loaded) >= {"crm.accounts", "survey.answers"}
    assert all(rows > 0 for rows in good_run.rows_loaded.values())
    # the demo plants contract violations: the quarantine caught some
    assert sum(good_run.rows_quarantined.values()) > 0
    current = settings.publish_dir / "current"
    assert current.is_symlink() and (current / "release.json").exists()
    assert good_run.run_id in (current / "release.json").read_text()
    # BI tools open serving.duckdb: the link to the current release's database
    assert settings.serving_database.is_symlink()
    assert settings.serving_database.resolve() == (current / "serving.duckdb").resolve()
    summary = good_run.summary()
    assert "published:         yes" in summary and "0 failed" in summary


def test_serving_database_has_no_raw_or_staging_data(good_run, settings: Settings):
    con = duckdb.connect(str(settings.serving_database), read_only=True)
    try:
        schemas = {
            r[0] for r in con.execute("select distinct schema_name from duckdb_tables()").fetchall()
        }
    finally:
        con.close()
    assert schemas, "the serving database is empty"
    assert schemas <= {"marts", "metrics", "reference", "quality"}
    assert "quality" in schemas  # the run's check results travel with the data


def test_broken_data_fails_the_gate_and_keeps_the_last_release(
    good_run, settings: Settings, tmp_path: Path
):
    assert good_run.published
    # work on a copy: the shared demo warehouse stays good for the other tests
    shutil.copytree(settings.data_dir, tmp_path / "data", symlinks=True)
    settings = make_settings(tmp_path / "data")
    before = (settings.publish_dir / "current").resolve()
    serving_before = settings.serving_database.stat().st_mtime_ns

    broken = tmp_path / "broken"
    shutil.copytree(settings.landing_dir, broken)
    answers = broken / "survey" / "answers.csv"
    header = answers.read_text().splitlines()[0]
    answers.write_text(header + "\n")  # the export came out empty

    outcome = run_main_job(replace(settings, landing_dir=broken), landing=broken)

    assert not outcome.success
    assert not outcome.published
    failed = [c for c in outcome.checks if c.status == "failed"]
    assert [c.name for c in failed] == ["ge_raw_survey__answers"]
    assert "expect_table_row_count_to_be_between" in failed[0].description
    assert "published:         NO" in outcome.summary()
    # the last good release and serving database are untouched
    assert (settings.publish_dir / "current").resolve() == before
    assert settings.serving_database.stat().st_mtime_ns == serving_before
    # the run stopped before dbt: it quarantined nothing, and does not show the last build's
    # quarantine counts as its own
    assert outcome.rows_loaded and not outcome.rows_quarantined
    assert (
        outcome.summary()
        .splitlines()[0]
        .startswith("error: blocking check failed on raw/survey/answers: ge_raw_survey__answers")
    )
    results = json.loads((settings.quality_dir / "runs" / outcome.run_id / "raw.json").read_text())
    answers_suite = next(s for s in results["suites"] if s["suite"] == "raw_survey__answers")
    assert answers_suite["rows"] == 0


EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def _demo_people(landing: Path) -> tuple[set[str], set[str], set[str]]:
    import pyarrow.csv as pacsv

    contacts = pacsv.read_csv(landing / "crm" / "contacts.csv").to_pydict()
    names = {n for n in contacts["full_name"] if n and len(n) > 5}
    emails = {e.strip().lower() for e in contacts["email"] if e}
    phones = {p for p in contacts["phone"] if p}
    return names, emails, phones


def test_no_pii_leaves_the_warehouse(good_run, settings: Settings):
    """Every text column of the serving database and every published file is free of the
    demo's emails, phones and names, and of anything shaped like an email or phone."""
    names, emails, phones = _demo_people(settings.landing_dir)
    assert names and emails and phones  # the demo has PII to leak

    con = duckdb.connect(str(settings.serving_database), read_only=True)
    try:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR'"
        ).fetchall()
        texts = []
        for schema, table, column in columns:
            values = con.execute(
                f'select distinct "{column}" from "{schema}"."{table}" where "{column}" is not null'
            ).fetchall()
            texts.extend((f"{schema}.{table}.{column}", v[0]) for v in values)
    finally:
        con.close()
    assert texts
    release = (settings.publish_dir / "current").resolve()
    # the pages inline plotly.js, whose licence header holds its authors' e-mail addresses:
    # that vendored code is not data, so it is taken out before scanning
    from plotly.offline import get_plotlyjs

    vendored = get_plotlyjs()
    for path in release.rglob("*"):
        if path.is_file() and path.suffix in {".json", ".csv", ".md", ".html", ".txt"}:
            text = path.read_text(errors="replace").replace(vendored, "")
            texts.append((str(path), text))

    leaks = []
    for where, text in texts:
        # GE notes and check descriptions may name columns such as `email`, never values
        if EMAIL.search(text) or any(e in text.lower() for e in emails if len(text) >= len(e)):
            leaks.append((where, "email"))
        if any(p in text for p in phones):
            leaks.append((where, "phone"))
        if any(n in text for n in names):
            leaks.append((where, "name"))
    assert not leaks, leaks[:10]


def _same(a, b) -> bool:
    """Equal, floats within 1e-9 relative: DuckDB's parallel aggregation may change the last
    bits of a double between two runs (the snapshot, rounded, is byte-identical)."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _tables(database: Path) -> dict[str, list]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        names = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where schema_name in ('marts', 'metrics') order by 1, 2"
        ).fetchall()
        return {
            f"{s}.{t}": con.execute(f'select * from "{s}"."{t}" order by all').fetchall()
            for s, t in names
        }
    finally:
        con.close()


def test_running_twice_on_the_same_landing_gives_identical_results(
    good_run, settings: Settings, seed_changed_rerun
):
    """The second run is on a copy of the demo's data folder (tests/reruns.py: staging
    rebuilt in full, as for any copy; the staging guard's tests read the same run)."""
    again = seed_changed_rerun.settings
    outcome = seed_changed_rerun.outcome
    assert outcome.success, outcome.summary()
    first = (settings.publish_dir / "current" / "snapshot").resolve()
    second = (again.publish_dir / "current" / "snapshot").resolve()
    assert first != second  # a new release was published
    for name in ("headline.json", "headline.csv"):
        assert (second / name).read_bytes() == (first / name).read_bytes(), name
    first_tables, second_tables = (
        _tables(settings.serving_database),
        _tables(again.serving_database),
    )
    assert first_tables.keys() == second_tables.keys()
    for name, rows in first_tables.items():
        assert _same(rows, second_tables[name]), name
    # the second summary compares with the first report: nothing changed
    assert "unchanged" in (again.publish_dir / "current" / "summary.md").read_text()

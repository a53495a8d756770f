"""The main job with and without the optional support-operations inputs (issue 16): the
demo's optional files land and the support marts fill; without them the job publishes as
before and the support marts are empty (the optional raw tables are external assets, so a
delivery without them does not hold up the dbt step)."""

from __future__ import annotations

import duckdb
import pytest

from cli.run_job import run_main_job
from tests.conftest import DEMO, make_settings

pytestmark = pytest.mark.slow


def _count(database, table: str) -> int:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(f"select count(*) from {table}").fetchone()[0]
    finally:
        con.close()


def test_with_the_optional_inputs_the_support_marts_fill(demo_run, demo_settings):
    assert demo_run.success and demo_run.published, demo_run.summary()
    for name in ("ticketing.schedules", "ticketing.holidays", "ticketing.sla_policies"):
        assert demo_run.rows_loaded.get(name, 0) > 0, name
    for name in ("schedules", "holidays", "sla_policies"):
        # the summary shows the optional tables' quarantine, not '-'
        quarantined = _count(
            demo_settings.database,
            f"staging.base_ticketing__{name} where quarantine_reason is not null",
        )
        assert demo_run.rows_quarantined[f"ticketing.{name}"] == quarantined, name
    serving = demo_settings.serving_database
    assert _count(serving, "marts.ticket_sla_metrics") > 0
    assert _count(serving, "marts.sla_attainment") > 0


def test_without_them_the_job_publishes_and_the_support_marts_are_empty(tmp_path):
    settings = make_settings(tmp_path / "data")
    outcome = run_main_job(settings, demo={**DEMO, "support_operations": False})
    assert outcome.success and outcome.published, outcome.summary()
    assert not any(name.endswith(("schedules", "holidays", "sla_policies"))
                   for name in outcome.rows_loaded)  # fmt: skip
    assert _count(settings.serving_database, "marts.ticket_sla_metrics") == 0
    assert _count(settings.serving_database, "marts.sla_attainment") == 0

"""Without the optional support tables and columns (issue 16) every new model builds and is
empty: a delivery of today's contract keeps today's behaviour."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dbt_helpers import query
from tests.support.conftest import build, land

NEW_RELATIONS = (
    "staging.base_ticketing__schedules",
    "staging.base_ticketing__holidays",
    "staging.base_ticketing__sla_policies",
    "intermediate.int_support_business_intervals",
    "intermediate.int_ticket_metric_spans",
    "marts.ticket_metric_times",
    "marts.ticket_sla_metrics",
    "marts.sla_attainment",
    "intermediate.int_ticket_status_segments",
    "intermediate.int_ticket_handoffs",
    "intermediate.int_support_ticket_outcomes",
    "marts.ticket_status_durations",
    "marts.ticket_backlog_daily",
    "marts.agent_performance",
    "marts.group_performance",
)


@pytest.fixture(scope="module")
def bare_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("support_bare")
    database = work / "warehouse.duckdb"
    land(database, optional=False)
    build(database, work)
    return database


def test_new_models_are_empty_without_the_optional_inputs(bare_warehouse):
    counts = {r: query(bare_warehouse, f"select count(*) from {r}")[0][0] for r in NEW_RELATIONS}
    assert counts == dict.fromkeys(NEW_RELATIONS, 0)
    # the tickets themselves are still there, with null routing columns
    assert query(
        bare_warehouse,
        "select count(*), count(assignee_id), count(group_id), count(schedule_id) "
        "from staging.stg_ticketing__ticket_assignments",
    ) == [(4, 0, 0, 0)]
    assert query(
        bare_warehouse,
        "select count(*), count(new_status) from staging.stg_ticketing__ticket_event_details",
    ) == [(12, 0)]

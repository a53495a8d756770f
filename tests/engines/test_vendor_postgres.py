"""The Zendesk adapter in place on PostgreSQL (Fivetran's common destination): the hand-made
Fivetran-shaped fixture (tests/fixtures/vendors/zendesk, with the CRM and survey of
tests/fixtures/mini in contract shape) is loaded by the project's PostgreSQL loader into
schema `zendesk`, typed as Fivetran lands it, and built there; the staged tickets and
events, exclusions and vendor row conservation equal the figures worked out by hand in
tests/adapters/test_zendesk.py (which checks them on DuckDB)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.landing import load_landing_into
from ingest.postgres_loader import PostgresSettings
from tests.adapters.test_zendesk import (
    EXPECTED_CONSERVATION,
    EXPECTED_EVENTS,
    EXPECTED_EXCLUDED,
    EXPECTED_TICKETS,
    FIXTURE,
    MINI,
    SELECT,
    ZENDESK,
)
from tests.engines.test_engines_agree import run_dbt_build


def _query(settings: PostgresSettings, sql: str) -> list[tuple]:
    con = settings.connect()
    try:
        with con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()
    finally:
        con.close()


@pytest.mark.postgres
def test_zendesk_adapter_builds_on_postgres(postgres_cluster: PostgresSettings, tmp_path: Path):
    landing = tmp_path / "landing"
    for system in ("crm", "survey"):
        shutil.copytree(MINI / system, landing / system)
    shutil.copytree(FIXTURE, landing / "zendesk")
    load_landing_into("postgres", landing, postgres=postgres_cluster)
    types = dict(
        _query(
            postgres_cluster,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'zendesk' and table_name = 'ticket'",
        )
    )
    assert types["id"] == "bigint" and types["_fivetran_deleted"] == "boolean"
    assert types["created_at"] == "timestamp without time zone"

    run_dbt_build("postgres", tmp_path, postgres_cluster.env(), "--vars", ZENDESK, *SELECT)

    tickets = _query(
        postgres_cluster,
        "select ticket_id, requester_email, channel_code, channel, category, root_cause, "
        "priority, status, created_at, solved_at from staging.stg_ticketing__tickets",
    )
    assert {r[0]: r[1:] for r in tickets} == EXPECTED_TICKETS
    events = _query(
        postgres_cluster,
        "select ticket_id, created_at, event_type, author_role, channel "
        "from staging.stg_ticketing__ticket_events",
    )
    assert {(r[0], r[1]): r[2:] for r in events} == EXPECTED_EVENTS
    excluded = _query(
        postgres_cluster,
        "select vendor_table, exclusion_reason, count(*) from adapters.zendesk__excluded "
        "group by 1, 2",
    )
    assert {(r[0], r[1]): r[2] for r in excluded} == EXPECTED_EXCLUDED
    conservation = _query(
        postgres_cluster,
        "select vendor_table, vendor_rows, staged_rows, excluded_rows, quarantined_rows "
        "from marts.vendor_row_conservation",
    )
    assert {r[0]: r[1:] for r in conservation} == EXPECTED_CONSERVATION

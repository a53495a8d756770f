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
from ingest.vendor_tables import VendorTableError
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


def _regclass(settings: PostgresSettings, name: str):
    return _query(settings, f"select to_regclass('{name}')")[0][0]


@pytest.mark.postgres
def test_vendor_schema_reloads_after_a_build(postgres_cluster: PostgresSettings, tmp_path: Path):
    """The adapters are views over the vendor tables: a second `cxw load --target postgres`
    of the vendor folder after a build must not fail with DependentObjectsStillExist."""
    landing = tmp_path / "landing"
    for system in ("crm", "survey"):
        shutil.copytree(MINI / system, landing / system)
    shutil.copytree(FIXTURE, landing / "zendesk")
    load_landing_into("postgres", landing, postgres=postgres_cluster)
    run_dbt_build(
        "postgres", tmp_path, postgres_cluster.env(), "--vars", ZENDESK,
        "--select", "+zendesk__tickets", "--exclude-resource-type", "test", "unit_test",
    )  # fmt: skip
    assert _regclass(postgres_cluster, "adapters.zendesk__ticket_rows") is not None

    # the same columns, one ticket fewer: the table is refilled under the adapters' views
    ticket = landing / "zendesk" / "ticket.csv"
    lines = ticket.read_text().splitlines()
    ticket.write_text("\n".join(lines[:-1]) + "\n")
    load_landing_into("postgres", landing, postgres=postgres_cluster)
    rows = "select count(*) from adapters.zendesk__ticket_rows"
    assert _query(postgres_cluster, rows) == [(len(lines) - 2,)]

    # a new column: the adapters' views over the table go (the build recreates them)
    ticket.write_text(
        "\n".join([lines[0] + ",custom_x"] + [ln + ",x" for ln in lines[1:-1]]) + "\n"
    )
    load_landing_into("postgres", landing, postgres=postgres_cluster)
    assert _regclass(postgres_cluster, "adapters.zendesk__ticket_rows") is None
    run_dbt_build(
        "postgres", tmp_path, postgres_cluster.env(), "--vars", ZENDESK,
        "--select", "+zendesk__tickets", "--exclude-resource-type", "test", "unit_test",
    )  # fmt: skip
    assert _query(postgres_cluster, rows) == [(len(lines) - 2,)]

    # a view of the user's own is never dropped: the load stops, naming it, and loads nothing
    con = postgres_cluster.connect()
    try:
        with con, con.cursor() as cur:
            cur.execute("create view public.my_tickets as select id, custom_x from zendesk.ticket")
    finally:
        con.close()
    ticket.write_text("\n".join(lines) + "\n")
    with pytest.raises(VendorTableError, match=r"view public\.my_tickets depends on"):
        load_landing_into("postgres", landing, postgres=postgres_cluster)
    assert _query(postgres_cluster, rows) == [(len(lines) - 2,)]
    assert _query(postgres_cluster, "select count(*) from public.my_tickets") == [(len(lines) - 2,)]

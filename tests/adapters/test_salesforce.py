"""Golden test of the Salesforce adapter (models/adapters/salesforce/) on a hand-made,
Fivetran-shaped fixture (tests/fixtures/vendors/salesforce/): every expected row below is
written by hand from the fixture's CSV files, with the rule that gives it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from demo_data.vendors import salesforce
from tests.adapters.crm_survey_support import (
    FIXTURES,
    adapter_rows,
    assert_connectors_unioned,
    assert_conserved,
    assert_crm_writer_rows_excluded,
    assert_excluded_and_counted_per_connector,
    assert_round_trip,
    assert_same_rows_on_postgres,
    build_adapter,
    crm_models,
    land,
    land_connectors,
    round_trip,
    rows,
)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("salesforce")
    database = work / "warehouse.duckdb"
    land(database, "salesforce", FIXTURES / "salesforce")
    build_adapter(database, work, "salesforce", {"crm_source": "salesforce"})
    return database


def test_accounts(warehouse: Path):
    got = rows(warehouse, "salesforce__accounts", "account_id, account_name, segment, country")
    assert got == [
        # the active version only (history mode); segment from `type`
        ("001A1", "Acme", "enterprise", "FR"),
        # no billing_country_code: billing_country; 001A3 is deleted
        ("001A2", "Beta", "consumer", "DE"),
    ]


def test_contacts(warehouse: Path):
    got = rows(
        warehouse,
        "salesforce__contacts",
        "contact_id, account_id, email, full_name, phone, is_billing_contact, created_at",
    )
    assert got == [
        ("003C1", "001A1", "Ann@Acme.com", "Ann Lee", "+33 1", "true", "2024-01-02 09:00:00"),
        # no compound name: first and last; no phone: mobile
        ("003C2", "001A1", "bob@acme.com", "Bob Ray", "+33 2", "false", "2024-01-03 09:00:00"),
        # 003C3 is deleted; 003C4's account is unknown: kept for staging to quarantine
        ("003C4", "001A9", "dan@x.com", "Dan Wu", None, "false", "2024-02-04 09:00:00"),
    ]


def test_closed_won_opportunities_are_orders(warehouse: Path):
    got = rows(
        warehouse,
        "salesforce__orders",
        "order_id, account_id, contact_id, order_type, ordered_at, amount, currency, channel",
    )
    assert got == [
        ("006O1", "001A1", "003C1", "new", "2025-01-10 15:30:00", "1000.5", "EUR", "web"),
        ("006O2", "001A1", "003C2", "renewal", "2025-06-01 09:00:00", "500.0", "EUR", "phone"),
        ("006O3", "001A2", None, "upgrade", "2025-02-01 08:00:00", "200.0", "USD", "partner"),
        # type Consulting is unmapped: one_off; lead source Trade Fair passes through
        ("006O4", "001A2", None, "one_off", "2025-02-05 08:00:00", "50.0", "USD", "Trade Fair"),
        # no type: one_off; no last_stage_change_date: close_date
        ("006O8", "001A1", None, "one_off", "2025-03-03", "75.0", "EUR", "email"),
    ]


def test_invoices_are_empty_with_the_contract_columns(warehouse: Path):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.execute("select * from adapters.salesforce__invoices")
        columns = [d[0] for d in cur.description]
        assert cur.fetchall() == []
    finally:
        con.close()
    assert columns == [
        "invoice_id", "account_id", "order_id", "issued_at", "due_at", "paid_at", "amount",
        "is_disputed", "_source_file", "_source_row", "_batch_id", "_loaded_at",
    ]  # fmt: skip


def test_every_vendor_row_is_kept_or_excluded_with_why(warehouse: Path):
    got = rows(warehouse, "salesforce__excluded", "vendor_table, vendor_id, exclusion_reason")
    assert got == [
        ("salesforce.account", "001A1@2025-02-01 00:00:00", "history_version"),
        ("salesforce.account", "001A3", "deleted"),
        ("salesforce.contact", "003C3", "deleted"),
        ("salesforce.opportunity", "006O5", "not_closed_won"),  # closed lost
        ("salesforce.opportunity", "006O6", "not_closed_won"),  # open
        ("salesforce.opportunity", "006O7", "deleted"),  # won, but deleted
    ]
    assert_conserved(
        warehouse,
        "salesforce",
        [
            ("account", "salesforce__accounts"),
            ("contact", "salesforce__contacts"),
            ("opportunity", "salesforce__orders"),
        ],
    )


def test_values_outside_the_maps_are_counted(warehouse: Path):
    got = rows(warehouse, "salesforce__unmapped_values", "vendor_field, vendor_value, row_count")
    assert got == [
        # 'email' is not in salesforce_lead_source_map but channel_map knows it: not listed
        ("lead_source", "Trade Fair", 1),
        ("type", "(empty)", 1),
        ("type", "Consulting", 1),
    ]


def test_round_trip_from_the_contract_demo(tmp_path: Path):
    """contract demo -> salesforce writer -> DuckDB -> adapter = the contract's accounts,
    contacts and orders (as staging reads them); invoices are not carried (empty)."""
    database, contract = round_trip(
        tmp_path, "salesforce", salesforce.write, {"crm_source": "salesforce"}
    )
    assert_round_trip(database, contract, crm_models("salesforce"))
    assert adapter_rows(database, "salesforce__invoices", "crm/invoices") == {}
    # the rows the writer adds around them are all excluded, with their reason
    assert_crm_writer_rows_excluded(database, "salesforce")


@pytest.mark.postgres
def test_builds_the_same_rows_on_postgresql(
    warehouse: Path,
    postgres_cluster,
    tmp_path: Path,
):
    """The fixture in PostgreSQL schema `salesforce` (as Fivetran names it): the adapter builds
    there and gives the rows it gives on DuckDB (as staging reads them), and excludes the same."""
    models = [*crm_models("salesforce"), ("crm/invoices", "salesforce__invoices")]
    assert_same_rows_on_postgres(
        postgres_cluster, warehouse, tmp_path, "salesforce", {"crm_source": "salesforce"}, models
    )


def test_two_connectors_are_unioned_with_prefixed_ids(warehouse: Path, tmp_path: Path):
    """Two Salesforce orgs (the fixture in schemas salesforce_eu and salesforce_us: every id
    exists in both): ids, foreign keys included, are prefixed with the connector, so they do
    not collide (the adapter's unique tests pass), and every count doubles."""
    database = tmp_path / "warehouse.duckdb"
    names = ["eu", "us"]
    variables = {
        "crm_source": "salesforce",
        "salesforce_connectors": land_connectors(database, "salesforce", names),
    }
    build_adapter(database, tmp_path, "salesforce", variables)
    for model, columns, ids in (
        ("salesforce__accounts", ["account_id", "account_name", "segment", "country"],
         {"account_id"}),
        ("salesforce__contacts", ["contact_id", "account_id", "email", "is_billing_contact"],
         {"contact_id", "account_id"}),
        ("salesforce__orders", ["order_id", "account_id", "contact_id", "order_type", "amount"],
         {"order_id", "account_id", "contact_id"}),
    ):  # fmt: skip
        assert_connectors_unioned(warehouse, database, names, model, columns, ids)
    assert ("eu:006O1", "eu:001A1", "eu:003C1") in rows(
        database, "salesforce__orders", "order_id, account_id, contact_id"
    )
    assert_excluded_and_counted_per_connector(warehouse, database, "salesforce", names)

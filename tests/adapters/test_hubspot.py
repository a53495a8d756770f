"""Golden test of the HubSpot adapter (models/adapters/hubspot/) on a hand-made,
Fivetran-shaped fixture (tests/fixtures/vendors/hubspot/): every expected row below is
written by hand from the fixture's CSV files, with the rule that gives it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from demo_data.vendors import hubspot
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
    work = tmp_path_factory.mktemp("hubspot")
    database = work / "warehouse.duckdb"
    land(database, "hubspot", FIXTURES / "hubspot")
    build_adapter(database, work, "hubspot", {"crm_source": "hubspot"})
    return database


def test_companies_are_accounts(warehouse: Path):
    got = rows(warehouse, "hubspot__accounts", "account_id, account_name, segment, country")
    # 103 is_deleted, 104 _fivetran_deleted
    assert got == [("101", "Acme", "enterprise", "FR"), ("102", "Beta", "smb", "DE")]


def test_contacts_through_the_contact_company_association(warehouse: Path):
    got = rows(
        warehouse,
        "hubspot__contacts",
        "contact_id, account_id, email, full_name, phone, is_billing_contact",
    )
    assert got == [
        ("201", "101", "Ann@Acme.com", "Ann Lee", "+33 1", "true"),
        ("202", "101", "bob@acme.com", "Bob", "+33 2", "false"),  # no phone: mobile
        # two companies: the primary association (type_id 1) wins over the lower id 102
        ("204", "101", "dan@beta.de", "Dan Wu", None, "false"),
        # no association: no account (staging quarantines it as missing_reference)
        ("205", None, "eve@nowhere.com", "Eve Ng", None, "false"),
    ]


def test_closed_won_deals_are_orders(warehouse: Path):
    got = rows(
        warehouse,
        "hubspot__orders",
        "order_id, account_id, contact_id, order_type, ordered_at, amount, currency, channel",
    )
    assert got == [
        ("301", "101", "201", "new", "2025-01-10 15:30:00", "1000.5", "EUR", "web"),
        # a won stage of another pipeline (probability 1, closed); the primary contact
        ("302", "101", "202", "renewal", "2025-06-01 09:00:00", "500.0", "EUR", "email"),
        # no primary company association: the lowest company id; no currency: the default
        ("303", "101", None, "upgrade", "2025-02-01 08:00:00", "200.0", "USD", "OFFLINE"),
        ("304", "102", "204", "one_off", "2025-02-05 08:00:00", "50.0", "USD", None),
        # deal type partnership is unmapped: one_off; no company: staging quarantines it
        ("308", None, None, "one_off", "2025-03-03 08:00:00", "75.0", "EUR", "partner"),
    ]


def test_every_vendor_row_is_kept_or_excluded_with_why(warehouse: Path):
    got = rows(warehouse, "hubspot__excluded", "vendor_table, vendor_id, exclusion_reason")
    assert got == [
        ("hubspot.company", "103", "deleted"),
        ("hubspot.company", "104", "deleted"),
        ("hubspot.contact", "203", "deleted"),
        # closedlost is closed with probability 0 (its deprecated closed_won column is true)
        ("hubspot.deal", "305", "not_closed_won"),
        ("hubspot.deal", "306", "not_closed_won"),  # open stage
        ("hubspot.deal", "307", "deleted"),
    ]
    assert_conserved(
        warehouse,
        "hubspot",
        [
            ("company", "hubspot__accounts"),
            ("contact", "hubspot__contacts"),
            ("deal", "hubspot__orders"),
        ],
    )


def test_values_outside_the_maps_are_counted(warehouse: Path):
    got = rows(warehouse, "hubspot__unmapped_values", "vendor_field, vendor_value, row_count")
    assert got == [
        ("property_dealtype", "(empty)", 1),
        ("property_dealtype", "partnership", 1),
        ("property_hs_analytics_source", "OFFLINE", 1),  # 'web', 'email', 'partner' are known
    ]


def test_older_connectors_associate_contacts_through_a_property(tmp_path: Path):
    database = tmp_path / "warehouse.duckdb"
    land(database, "hubspot", FIXTURES / "hubspot")
    con = duckdb.connect(str(database))
    con.execute("drop table hubspot.contact_company")
    con.execute("alter table hubspot.contact add column property_associatedcompanyid bigint")
    con.execute("update hubspot.contact set property_associatedcompanyid = 102 where id = 201")
    con.close()
    build_adapter(database, tmp_path, "hubspot", {"crm_source": "hubspot"})
    got = dict(rows(database, "hubspot__contacts", "contact_id, account_id"))
    assert got == {"201": "102", "202": None, "204": None, "205": None}


def test_round_trip_from_the_contract_demo(tmp_path: Path):
    """contract demo -> hubspot writer -> DuckDB -> adapter = the contract's accounts,
    contacts and orders (as staging reads them); invoices are not carried (empty)."""
    database, contract = round_trip(tmp_path, "hubspot", hubspot.write, {"crm_source": "hubspot"})
    assert_round_trip(database, contract, crm_models("hubspot"))
    assert adapter_rows(database, "hubspot__invoices", "crm/invoices") == {}
    # the rows the writer adds around them are all excluded, with their reason
    assert_crm_writer_rows_excluded(database, "hubspot")


@pytest.mark.postgres
def test_builds_the_same_rows_on_postgresql(
    warehouse: Path,
    postgres_cluster,
    tmp_path: Path,
):
    """The fixture in PostgreSQL schema `hubspot` (as Fivetran names it): the adapter builds
    there and gives the rows it gives on DuckDB (as staging reads them), and excludes the same."""
    models = [*crm_models("hubspot"), ("crm/invoices", "hubspot__invoices")]
    assert_same_rows_on_postgres(
        postgres_cluster, warehouse, tmp_path, "hubspot", {"crm_source": "hubspot"}, models
    )


def test_two_connectors_are_unioned_with_prefixed_ids(warehouse: Path, tmp_path: Path):
    """Two HubSpot portals (the fixture in schemas hubspot_eu and hubspot_us: every id exists
    in both): ids, foreign keys and association keys included, are prefixed with the
    connector, so they do not collide, and every count doubles. A third, older portal
    without the contact_company table associates its contacts through the property."""
    database = tmp_path / "warehouse.duckdb"
    names = ["eu", "us"]
    connectors = land_connectors(database, "hubspot", [*names, "old"])
    con = duckdb.connect(str(database))
    con.execute("drop table hubspot_old.contact_company")
    con.execute("alter table hubspot_old.contact add column property_associatedcompanyid bigint")
    con.execute("update hubspot_old.contact set property_associatedcompanyid = 102 where id = 201")
    con.close()
    build_adapter(
        database, tmp_path, "hubspot", {"crm_source": "hubspot", "hubspot_connectors": connectors}
    )
    contacts = rows(database, "hubspot__contacts", "contact_id, account_id")
    old = {c: a for c, a in contacts if c.startswith("old:")}
    assert old == {"old:201": "old:102", "old:202": None, "old:204": None, "old:205": None}
    for model, columns, ids in (
        ("hubspot__accounts", ["account_id", "account_name", "segment", "country"],
         {"account_id"}),
        ("hubspot__contacts", ["contact_id", "account_id", "email", "is_billing_contact"],
         {"contact_id", "account_id"}),
        ("hubspot__orders", ["order_id", "account_id", "contact_id", "order_type", "amount"],
         {"order_id", "account_id", "contact_id"}),
    ):  # fmt: skip
        assert_connectors_unioned(warehouse, database, names, model, columns, ids)
    assert_excluded_and_counted_per_connector(warehouse, database, "hubspot", names)

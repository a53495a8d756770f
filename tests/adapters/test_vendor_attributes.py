"""Extra vendor columns (var vendor_extra_columns) carried into the conformed marts as one
JSON object text, `vendor_attributes`: Zendesk ticket columns on marts.tickets, Salesforce
account columns on marts.customers (the fixtures of tests/fixtures/vendors/ with the survey
system from tests/fixtures/mini). Expectations are read from the fixtures' CSV files with
the csv module, independently of the SQL."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from ingest.landing import load_landing
from tests.dbt_helpers import query, run_dbt

REPO = Path(__file__).resolve().parents[2]
VENDORS = REPO / "tests" / "fixtures" / "vendors"
MINI = REPO / "tests" / "fixtures" / "mini"
NOTE = 'say "hi" \\ back\n\tnext line'  # quote, backslash, newline and tab: JSON-escaped
SELECT = ["--select", "+tickets", "+customers", "--indirect-selection", "cautious"]


def _csv(vendor: str, table: str) -> list[dict]:
    with (VENDORS / vendor / f"{table}.csv").open(newline="") as f:
        return list(csv.DictReader(f))


def _warehouse(tmp: Path) -> Path:
    landing = tmp / "landing"
    shutil.copytree(MINI / "survey", landing / "survey")
    for vendor in ("zendesk", "salesforce"):
        shutil.copytree(VENDORS / vendor, landing / vendor)
    database = tmp / "warehouse.duckdb"
    load_landing(landing, database)
    con = duckdb.connect(str(database))
    try:
        con.execute("alter table zendesk.ticket add column custom_note varchar")
        con.execute("update zendesk.ticket set custom_note = ? where id = 1", [NOTE])
    finally:
        con.close()
    return database


def _vars(extra: dict) -> str:
    return json.dumps(
        {"ticketing_source": "zendesk", "crm_source": "salesforce", "vendor_extra_columns": extra}
    )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("vendor_attributes")
    database = _warehouse(work)
    extra = {
        "zendesk": {"ticket": ["brand_id", "custom_note"]},
        "salesforce": {"account": ["industry"]},
    }
    run_dbt(database, work, "build", "--vars", _vars(extra), *SELECT)
    return database


def test_ticket_columns_reach_marts_tickets(warehouse: Path):
    brand = {row["id"]: row["brand_id"] or None for row in _csv("zendesk", "ticket")}
    got = dict(query(warehouse, "select ticket_id, vendor_attributes from marts.tickets"))
    assert got
    for ticket_id, attributes in got.items():
        expected = {"brand_id": brand[ticket_id], "custom_note": NOTE if ticket_id == "1" else None}
        assert json.loads(attributes) == expected, ticket_id
    assert "1" in got


def test_account_columns_reach_marts_customers(warehouse: Path):
    # the active version of each account (history mode): the last row of an id with
    # _fivetran_active true
    industry = {
        row["id"]: row["industry"] or None
        for row in _csv("salesforce", "account")
        if row["_fivetran_active"] == "true"
    }
    got = dict(query(warehouse, "select account_id, vendor_attributes from marts.customers"))
    assert got
    assert {k: json.loads(v) for k, v in got.items()} == {k: {"industry": industry[k]} for k in got}
    assert got.get("001A1") == '{"industry":"Retail"}'


def test_without_extra_columns_the_column_is_null(warehouse: Path, tmp_path: Path):
    database = tmp_path / warehouse.name  # a copy of the built warehouse: marts rebuilt
    shutil.copy(warehouse, database)
    run_dbt(database, tmp_path, "run", "--vars", _vars({}), "--select", "tickets", "customers")
    for mart in ("tickets", "customers"):
        assert (
            query(database, f"select count(*), count(vendor_attributes) from marts.{mart}")[0][1]
            == 0
        ), mart


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"salesforce": {"account": ["billing_email__c"]}},
         "salesforce.account column 'billing_email__c' looks like personal data"),
        ({"zendesk": {"ticket": ["custom_requester_phone"]}},
         "zendesk.ticket column 'custom_requester_phone' looks like personal data"),
        ({"zendesk": {"user": ["custom_tier"]}}, "zendesk.user reaches no conformed mart"),
    ],
)  # fmt: skip
def test_personal_data_columns_are_refused(tmp_path: Path, extra: dict, message: str):
    database = _warehouse(tmp_path)
    with pytest.raises(pytest.fail.Exception) as failed:
        run_dbt(database, tmp_path, "compile", "--vars", _vars(extra), "--select", "tickets")
    assert message in str(failed.value)

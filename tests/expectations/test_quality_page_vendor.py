"""The data-quality page's vendor section: per vendor table, its rows staged, excluded and
quarantined (marts.vendor_row_conservation), stored by the marts check step in its results."""

from __future__ import annotations

import json
import re

import duckdb

from quality.page import read_vendor_rows, render, write_page

MARTS = {"suites": []}
ROWS = [
    {"vendor_table": "salesforce.account", "contract_table": "crm.accounts",
     "vendor_rows": 20607, "staged_rows": 20000, "excluded_rows": 512, "quarantined_rows": 95,
     "is_conserved": True},
    {"vendor_table": "zendesk.ticket", "contract_table": "ticketing.tickets",
     "vendor_rows": 10, "staged_rows": 7, "excluded_rows": 1, "quarantined_rows": 1,
     "is_conserved": False},
]  # fmt: skip


def _cells(page: str, vendor_table: str) -> list[str]:
    row = re.search(rf"<tr><td><code>{re.escape(vendor_table)}</code>.*?</tr>", page).group(0)
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]


def test_the_page_shows_each_vendor_table_and_flags_lost_rows(tmp_path):
    run = tmp_path / "runs" / "r1"
    run.mkdir(parents=True)
    (run / "marts.json").write_text(json.dumps({**MARTS, "vendor_rows": ROWS}))
    page = write_page(run, tmp_path / "index.html", run_id="r1").read_text()
    assert "Vendor tables: every row staged, excluded or quarantined" in page
    assert _cells(page, "salesforce.account") == [
        "salesforce.account", "crm.accounts", "20,607", "20,000", "512", "95", "all accounted for"
    ]  # fmt: skip
    assert _cells(page, "zendesk.ticket")[-1] == "rows lost"
    assert 'class="status failed">rows lost' in page


def test_no_vendor_section_without_vendor_rows():
    assert "vendor-rows" not in render({"marts": MARTS})
    assert "vendor-rows" not in render({})


def test_vendor_rows_are_read_from_the_mart(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        assert read_vendor_rows(con) == []  # no such mart: no section
        con.execute("create schema marts")
        con.execute(
            "create table marts.vendor_row_conservation as select * from (values "
            "('zendesk.ticket', 'zendesk', 'ticketing.tickets', 10, 7, 1, 1, false), "
            "('salesforce.account', 'salesforce', 'crm.accounts', 20607, 20000, 512, 95, true)"
            ") as t(vendor_table, vendor, contract_table, vendor_rows, staged_rows, "
            "excluded_rows, quarantined_rows, is_conserved)"
        )
        assert read_vendor_rows(con) == ROWS
    finally:
        con.close()

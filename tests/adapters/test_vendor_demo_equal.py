"""The contract-shaped and the vendor-shaped demo of one seed give equal marts and metrics.

Both demos come from the same generator run (demo_data.vendors.generate_vendor_demo writes the
chosen systems in their vendors' Fivetran shapes); each is loaded and built with dbt, and
every table of the `marts` and `metrics` schemas is compared as a multiset of rows (doubles
to 12 significant digits, well inside 1e-9 of the figures' sizes), except the fields a vendor
cannot carry, listed below with why. Parametrised by the set of vendors read: each vendor
adds its set (and its exceptions) here.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from demo_data.generator import generate
from demo_data.vendors import SYSTEM_OF, generate_vendor_demo
from demo_data.vendors.zendesk import SUPPORT_IDS as ZENDESK_SUPPORT_IDS
from ingest.landing import load_landing
from tests.dbt_helpers import normalised, query, run_dbt, tables

DEMO = {
    "accounts": 300,
    "seed": 11,
    "file_format": "csv",
    "bad_row_share": 0.002,
    "end_date": date(2026, 10, 31),
    "months": 12,
    # the optional support-operations data (schedules, SLA policies ...): the Zendesk demo
    # writes them in Zendesk's tables, the other vendors' demos copy them
    "support_operations": True,
}
SCHEMAS = ("marts", "metrics")

# Ids a vendor writes differently: the contract demo's `TKT-0000123` is Zendesk ticket 123
# (Zendesk ids are integers), inside every key built from it (episode ids, event ids ...).
ID_REWRITES = {"zendesk": [(re.compile(r"TKT-0*(\d+)"), r"\1")]}
# And ids the vendor demo writes differently, rewritten on the vendor's side: Qualtrics
# question ids are unique only within a survey, so the adapter's question key is
# `<survey_id>:<question id>` (`SRV-TKT-SUPPORT:QST-024`); the contract demo's question ids
# are unique on their own (`QST-024`), so the key is compared without its survey part.
VENDOR_ID_REWRITES = {"qualtrics": [(re.compile(r"SRV-[A-Z0-9_-]+:(?=QST-)"), "")]}
# Zendesk's agents, groups and schedules are integers (demo_data/vendors/zendesk.py): user
# 9000007 is `agent-007`, the others SUPPORT_IDS.
VENDOR_ID_REWRITES["zendesk"] = [(re.compile(r"^90{3,}(\d{3})$"), r"agent-\1")] + [
    (re.compile(f"^{number}$"), name) for name, number in ZENDESK_SUPPORT_IDS.items()
]

# Contract tables a vendor has no table for: {vendor: {"<system>/<table>": why}}. The vendor
# demo is compared with the contract demo built without them (their files emptied), so that
# everything that follows from their absence is still compared, table by table.
NOT_CARRIED: dict[str, dict[str, str]] = {
    "salesforce": {
        "crm/invoices": "Salesforce holds no invoices (billing systems do): salesforce__invoices "
        "is empty, and the billing touchpoint has no invoice events",
    },
    "hubspot": {
        "crm/invoices": "HubSpot's CRM objects read (companies, contacts, deals) hold no "
        "invoices: hubspot__invoices is empty, as for Salesforce",
    },
}

LINEAGE = ("quarantined_row_id", "source_file", "batch_id", "source_row")

# Fields a vendor cannot carry: {vendor: {table: (columns, why)}}; columns None = the table.
EXCEPTIONS: dict[str, dict[str, tuple[tuple[str, ...] | None, str]]] = {
    "zendesk": {
        "marts.ticket_events": (
            ("ticket_event_id",),
            "comments keep their number, but a status change is a ticket_field_history row "
            "without an id: the adapter names it status:<ticket>:<row>",
        ),
        "marts.quarantined_rows": (
            None,
            "the contract demo plants bad rows (blank or duplicated keys, unreadable "
            "timestamps) that a typed, keyed vendor table cannot hold: the vendor demo "
            "leaves them out, and lineage (file, batch, row) differs by construction",
        ),
        "marts.row_conservation": (None, "counts those planted bad rows, as above"),
        "marts.vendor_row_conservation": (None, "only a vendor source has vendor rows"),
        "marts.unmapped_vendor_values": (None, "only a vendor source has vendor values"),
        **{
            table: (
                None,
                "Zendesk holds SLA targets per policy and priority (policy `<id>:<priority>`), "
                "no resolution metric and no tier (the contract demo's strategic-tier policy), "
                "and a schedule's current hours only: the SLA marts differ by design; "
                "tests/adapters/test_zendesk_support.py checks the mapping by hand",
            )
            for table in ("marts.ticket_sla_metrics", "marts.sla_attainment")
        },
    },
    **{
        vendor: {
            "marts.quarantined_rows": (
                LINEAGE,
                "the same rows are quarantined for the same reasons, but a vendor row's "
                "lineage is its vendor table and row number (salesforce.account, row 301), "
                "not the contract file, batch and line",
            ),
            "marts.vendor_row_conservation": (None, "only a vendor source has vendor rows"),
            "marts.unmapped_vendor_values": (None, "only a vendor source has vendor values"),
        }
        for vendor in ("salesforce", "hubspot", "qualtrics")
    },
}


# Values a vendor cannot carry on some rows: {vendor: {table: ({column: condition}, why)}};
# the column is compared as NULL where the SQL condition holds, on both sides.
_NEW_YORK = "schedule_id in ('sched-new-york', '5000001')"
MASKED: dict[str, dict[str, tuple[dict[str, str], str]]] = {
    "zendesk": {
        "marts.ticket_events": (
            {"channel": "event_type = 'reopened'"},
            "a reopen is a ticket_field_history row, which has no channel: it takes its "
            "ticket's, where the contract demo has some customers reopen by e-mail",
        ),
        **{
            table: (
                {"business_minutes": f"{_NEW_YORK} and {start} < timestamp '2026-02-02'"},
                "Zendesk's schedule table holds the current hours only: New York's hours "
                "before its change (2026-02-01 at this end date) are not carried",
            )
            for table, start in (
                ("marts.ticket_metric_times", "started_at"),
                ("marts.ticket_status_durations", "first_entered_at"),
            )
        },
    },
}


def _vars(vendors: tuple[str, ...]) -> str:
    return "{" + ", ".join(f"{SYSTEM_OF[v]}_source: {v}" for v in vendors) + "}"


def _rows(
    database: Path, table: str, drop: tuple[str, ...], rewrites, masked: dict[str, str]
) -> Counter:
    columns = [
        name
        for (name,) in query(
            database,
            "select column_name from information_schema.columns where table_schema = "
            f"'{table.split('.')[0]}' and table_name = '{table.split('.')[1]}' "
            "order by ordinal_position",
        )
        if name not in drop
    ]
    listed = ", ".join(
        f'case when {masked[c]} then null else "{c}" end' if c in masked else f'"{c}"'
        for c in columns
    )

    def norm(value):
        if isinstance(value, str):
            for pattern, replacement in rewrites:
                value = pattern.sub(replacement, value)
        return normalised(value)

    return Counter(
        tuple(norm(v) for v in row) for row in query(database, f"select {listed} from {table}")
    )


def compare(contract: Path, database: Path, vendors: tuple[str, ...]) -> tuple[list[str], int]:
    """Every marts and metrics table of the two warehouses, with the vendors' exceptions:
    (the differences found, the number of tables compared)."""
    exceptions: dict[str, tuple[str, ...] | None] = {}
    rewrites, vendor_rewrites, masked = [], [], {}
    for vendor in vendors:
        for table, (conditions, _why) in MASKED.get(vendor, {}).items():
            masked.setdefault(table, {}).update(conditions)
        rewrites += ID_REWRITES.get(vendor, [])
        vendor_rewrites += VENDOR_ID_REWRITES.get(vendor, [])
        for table, (columns, _why) in EXCEPTIONS.get(vendor, {}).items():
            if columns is None or (table in exceptions and exceptions[table] is None):
                exceptions[table] = None  # the whole table, whatever another vendor adds
            else:
                exceptions[table] = (exceptions.get(table) or ()) + columns

    contract_tables = set(tables(contract, SCHEMAS))
    vendor_tables = set(tables(database, SCHEMAS))
    assert contract_tables == vendor_tables
    problems, compared = [], 0
    for table in sorted(contract_tables):
        if table in exceptions and exceptions[table] is None:
            continue
        drop = exceptions.get(table) or ()
        expected = _rows(contract, table, drop, rewrites, masked.get(table, {}))
        got = _rows(database, table, drop, vendor_rewrites, masked.get(table, {}))
        compared += 1
        if expected != got:
            problems.append(
                f"{table}: {sum((expected - got).values())} rows only in the contract demo, "
                f"{sum((got - expected).values())} only in the vendor demo; e.g. "
                f"{list((expected - got).elements())[:2]} vs "
                f"{list((got - expected).elements())[:2]}"
            )
    return problems, compared


@pytest.fixture(scope="module")
def contract_warehouse(tmp_path_factory):
    """The contract demo, built once per set of tables left out (shared between the params):
    ``contract_warehouse(frozenset({"crm/invoices"}))`` is its warehouse without invoices.

    Seeds and models only: this is the reference the vendor demos are held to, the contract
    path whose data tests the main job runs on its own demo (tests/test_main_job.py), and
    dbt's unit tests read their own fixture rows (they run in the golden build). The vendor
    builds below keep their data tests."""
    work = tmp_path_factory.mktemp("contract-demo")
    generate(work / "landing", **DEMO)
    built: dict[frozenset[str], Path] = {}

    def build(without: frozenset[str]) -> Path:
        if without not in built:
            name = "+".join(sorted(without)).replace("/", ".") or "nothing"
            here = work / f"without-{name}"
            shutil.copytree(work / "landing", here / "landing")
            for key in without:  # the file with its header only: the table is empty
                path = here / "landing" / f"{key}.{DEMO['file_format']}"
                path.write_text(path.read_text().splitlines()[0] + "\n")
            load_landing(here / "landing", here / "warehouse.duckdb")
            run_dbt(here / "warehouse.duckdb", here, "build", "--exclude-resource-type",
                    "unit_test", "test")  # fmt: skip
            built[without] = here / "warehouse.duckdb"
        return built[without]

    return build


@pytest.mark.slow
@pytest.mark.parametrize(
    "vendors",
    [
        ("zendesk",),
        ("salesforce",),
        ("hubspot",),
        ("qualtrics",),
        ("zendesk", "salesforce", "qualtrics"),
    ],
    ids=lambda v: "+".join(v),
)
def test_vendor_demo_gives_equal_marts_and_metrics(contract_warehouse, vendors, tmp_path):
    not_carried = frozenset(key for v in vendors for key in NOT_CARRIED.get(v, {}))
    contract = contract_warehouse(not_carried)
    landing = tmp_path / "landing"
    generate_vendor_demo(landing, list(vendors), **DEMO)
    assert not (landing / "ticketing").exists() or "zendesk" not in vendors
    database = tmp_path / "warehouse.duckdb"
    load_landing(landing, database)
    run_dbt(database, tmp_path, "build", "--exclude-resource-type", "unit_test",
            "--vars", _vars(vendors))  # fmt: skip

    problems, compared = compare(contract, database, vendors)
    assert not problems, "\n".join(problems)
    assert compared >= 20  # the marts and metrics were really compared

    # and the vendor rows are all accounted for
    rows = query(database, "select vendor_table, is_conserved from marts.vendor_row_conservation")
    assert rows and all(conserved for _, conserved in rows)

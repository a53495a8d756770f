"""Delta deliveries (issue 8, item 1): files holding only new and changed rows, merged by key.

A source that sends only what changed must end in the same warehouse as one that sends the
whole table again. Flow: generate demo data (the first, full delivery); make the next full
export of it (about 2 % new tickets, orders and responses with their children, plus updates
to old keys: a ticket moved to another category, an invoice now paid, an account renamed);
cut from that the delta: per table, only the rows whose key is new or whose rows changed,
and only the tables that changed. The first delivery also lacks a ticket and a survey
response whose events and answers it holds (quarantined as orphans until the delta brings the
late parent), and the next export repeats an old order key (a duplicate, quarantined).

- Warehouse A: full load, `dbt build`, then the delta loaded with `mode="delta"` and
  `dbt build` again (incremental models merging; every data test runs, so the staging keys
  (_batch_id, _source_row) and row conservation hold over a raw table merged from two files).
- Warehouse B: the next full export loaded in full, `dbt build --full-refresh`.
Every table of `marts` and `metrics`, and every staging table (the quarantine included), must
be equal, except the lineage of rows (which file and row they came from, and when they were
staged, differ by construction). Staging is incremental: the second build of warehouse A
judges only the delta's rows and the rows it can change (macros/incremental_staging.sql).
dbt's unit tests are left out of the builds (they read their own fixture rows, not the
warehouse; they run in the golden build, tests/metrics/conftest.py). Both databases are
called warehouse.duckdb (in folders of their own): dbt parses the project once for both.
"""

from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from demo_data.delivery import Table, append_new_rows, open_tables, write_csv_rows
from demo_data.generator import generate
from ingest.contract import TABLES
from ingest.landing import load_landing
from tests.dbt_helpers import columns, difference, query, run_dbt, table_rows, tables

pytestmark = pytest.mark.slow

END_DATE = date(2026, 10, 31)
NO_TESTS = ["--exclude", "resource_type:test", "resource_type:unit_test"]
NO_UNIT_TESTS = ["--exclude", "resource_type:unit_test"]
COMPARED = ("marts", "metrics")


def _next_full_export(landing: Path) -> dict[str, str]:
    """Rewrite `landing` as the next full export; return which old keys were updated."""
    t = open_tables(landing, [tb.qualified for tb in TABLES])
    append_new_rows(t, share=0.02, days=2)
    tickets, invoices, accounts = t["ticketing.tickets"], t["crm.invoices"], t["crm.accounts"]
    tk_id, tk_cat = tickets.col("ticket_id"), tickets.col("category")
    moved = next(r for r in tickets.rows[:50] if r[tk_id].strip() and r[tk_cat] == "delivery")
    moved[tk_cat] = "billing"
    # a duplicate of an old order key (the first delivered row wins; this one is quarantined)
    orders = t["crm.orders"]
    first_order = next(r for r in orders.rows if r[orders.col("order_id")].strip())
    duplicate = list(first_order)
    duplicate[orders.col("amount")] = "1.00"
    orders.rows.append(duplicate)
    iv_id, iv_paid = invoices.col("invoice_id"), invoices.col("paid_at")
    unpaid = next(r for r in invoices.rows[:200] if r[iv_id].strip() and not r[iv_paid])
    unpaid[iv_paid] = "2026-10-30T10:00:00Z"
    ac_id, ac_name = accounts.col("account_id"), accounts.col("account_name")
    renamed = next(r for r in accounts.rows if r[ac_id].strip() and r[ac_name])
    renamed[ac_name] = renamed[ac_name] + " Group"
    for table in t.values():
        table.save()
    return {
        "ticket": moved[tk_id],
        "invoice": unpaid[iv_id],
        "account": renamed[ac_id],
        "duplicate_order": first_order[orders.col("order_id")],
    }


def _withhold_parents(landing: Path) -> dict[str, str]:
    """Take out of `landing` (the first delivery) a ticket that has events and a survey
    response that has answers, both from the middle of the files: their children arrive
    first (orphans, quarantined), the parents later (the late parents)."""
    t = open_tables(landing, ["ticketing.tickets", "ticketing.ticket_events",
                              "survey.responses", "survey.answers"])  # fmt: skip
    withheld = {}
    for parent, key, child in (
        ("ticketing.tickets", "ticket_id", "ticketing.ticket_events"),
        ("survey.responses", "response_id", "survey.answers"),
    ):
        rows, children = t[parent], t[child]
        with_children = {r[children.col(key)] for r in children.rows}
        middle = len(rows.rows) // 2
        index = next(
            i
            for i, r in enumerate(rows.rows[middle:], middle)
            if r[rows.col(key)].strip() and r[rows.col(key)] in with_children
        )
        withheld[key] = rows.rows.pop(index)[rows.col(key)]
        rows.save()
    return withheld


def _rows_by_key(table: Table, key: tuple[str, ...]) -> dict[tuple, Counter]:
    cols = [table.col(k) for k in key]
    by_key: dict[tuple, Counter] = defaultdict(Counter)
    for row in table.rows:
        by_key[tuple(row[c].strip() for c in cols)][tuple(row)] += 1
    return by_key


def _cut_delta(before: Path, after: Path, delta: Path) -> Counter:
    """Write to `delta` the rows of `after` whose key is new or changed; rows per table."""
    written: Counter = Counter()
    for tb in TABLES:
        old = _rows_by_key(Table.open(before, tb.qualified), tb.key)
        new_table = Table.open(after, tb.qualified)
        new = _rows_by_key(new_table, tb.key)
        assert set(old) <= set(new), f"{tb.qualified}: the next export must not drop keys"
        rows = [
            list(row)
            for key, versions in new.items()
            if versions != old.get(key)
            for row in versions.elements()
        ]
        if rows:
            path = delta / tb.system / f"{tb.name}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            write_csv_rows(path, new_table.header, rows)
            written[tb.qualified] = len(rows)
    return written


@dataclass
class Warehouses:
    delta: Path
    full: Path
    delta_rows: Counter
    updated: dict[str, str]
    withheld: dict[str, str]
    orphans_before: dict[str, tuple[int, int]]
    staged_rows: dict[str, tuple[int, int]]


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> Warehouses:
    work = tmp_path_factory.mktemp("delta")
    first, second, delta = work / "first", work / "second", work / "delta"
    generate(first, accounts=200, seed=31, end_date=END_DATE, months=12)
    shutil.copytree(first, second)
    updated = _next_full_export(second)
    withheld = _withhold_parents(first)
    delta_rows = _cut_delta(first, second, delta)

    merged = work / "merged" / "warehouse.duckdb"
    merged.parent.mkdir()
    load_landing(first, merged)
    run_dbt(merged, work, "build", *NO_TESTS)
    orphans_before = {key: _orphans(merged, key, value) for key, value in withheld.items()}
    load_landing(delta, merged, mode="delta")
    run_dbt(merged, work, "build", *NO_UNIT_TESTS)  # incremental, every data test
    staged_rows = {
        model: query(
            merged,
            f"select count(*) filter (where _staged_at = (select max(_staged_at) from {model})), "
            f"count(*) from {model}",
        )[0]
        for model in (f"staging.{name}" for name in STAGED)
    }

    full = work / "refreshed" / "warehouse.duckdb"
    full.parent.mkdir()
    load_landing(second, full)
    run_dbt(full, work, "build", "--full-refresh", *NO_TESTS, target_path=work / "target-full")
    return Warehouses(merged, full, delta_rows, updated, withheld, orphans_before, staged_rows)


STAGED = ("base_ticketing__ticket_events", "base_survey__answers", "base_crm__invoices")
ORPHANS = {  # the withheld parent's key: the child base_ model and its reference column
    "ticket_id": ("base_ticketing__ticket_events", "ticket_id"),
    "response_id": ("base_survey__answers", "response_id"),
}


def _orphans(database: Path, key: str, value: str) -> tuple[int, int]:
    """(quarantined as orphans, all) staged rows of the withheld parent's children."""
    model, column = ORPHANS[key]
    return query(
        database,
        f"select count(*) filter (where quarantine_reason = 'orphan_reference'), count(*) "
        f"from staging.{model} where {column} = '{value}'",
    )[0]


def test_the_delta_holds_only_changes(warehouses: Warehouses):
    d = warehouses.delta_rows
    assert set(d) <= {tb.qualified for tb in TABLES}
    # new rows in the big tables, plus the updated keys; untouched tables left out
    for name in ("ticketing.tickets", "ticketing.ticket_events", "crm.orders", "crm.invoices"):
        assert d[name] > 0, name
    assert d["crm.accounts"] == 1
    assert "survey.questions" not in d and "crm.contacts" not in d
    raw_rows = sum(
        query(warehouses.full, f"select count(*) from {tb.raw_schema}.{tb.name}")[0][0]
        for tb in TABLES
    )
    assert sum(d.values()) < 0.1 * raw_rows


def test_raw_tables_equal_the_full_export(warehouses: Warehouses):
    for tb in TABLES:
        lineage = "_source_row, _batch_id, _loaded_at, _source_file"
        content = f"select * exclude ({lineage}) from {tb.raw_schema}.{tb.name}"
        assert table_rows(warehouses.delta, f"({content})") == table_rows(
            warehouses.full, f"({content})"
        ), tb.qualified


def test_every_row_is_accounted_for_after_a_delta(warehouses: Warehouses):
    rows = query(
        warehouses.delta,
        "select table_name, raw_rows, staged_rows + quarantined_rows, is_conserved "
        "from marts.row_conservation order by 1",
    )
    assert len(rows) == len(TABLES)
    for table_name, raw, accounted, conserved in rows:
        assert conserved and raw == accounted, table_name
    batches = query(
        warehouses.delta,
        "select count(distinct batch_id) from marts.quarantined_rows "
        "where table_name = 'ticketing.tickets'",
    )[0][0]
    assert batches >= 1


def test_delta_and_full_export_give_the_same_marts(warehouses: Warehouses):
    compared = tables(warehouses.delta, COMPARED)
    assert compared == tables(warehouses.full, COMPARED)
    assert len(compared) > 20
    differing = []
    for table in compared:
        # the lineage of a quarantined row names its own file and row
        exclude = (
            ("quarantined_row_id", "batch_id", "source_row") if "quarantined_rows" in table else ()
        )
        a = table_rows(warehouses.delta, table, exclude)
        b = table_rows(warehouses.full, table, exclude)
        if line := difference(table, a, b, "after the delta", "after the full export"):
            differing.append(line)
    assert not differing, "\n".join(differing)


def test_staging_equals_a_full_refresh(warehouses: Warehouses):
    """Every staging table (typed rows with their verdicts, the valid rows, the quarantine)
    holds the same rows after the delta as after the full export, lineage aside."""
    compared = tables(warehouses.delta, ("staging",))
    assert compared == tables(warehouses.full, ("staging",))
    assert len(compared) >= 20
    lineage = ("_batch_id", "_source_row", "_loaded_at", "_source_file", "_staged_at")
    differing = []
    for table in compared:
        present = columns(warehouses.delta, table)
        exclude = tuple(c for c in lineage if c in present)
        a = table_rows(warehouses.delta, table, exclude)
        b = table_rows(warehouses.full, table, exclude)
        if line := difference(table, a, b, "after the delta", "after the full export"):
            differing.append(line)
    assert not differing, "\n".join(differing)


def test_late_parents_and_duplicates_are_judged_again(warehouses: Warehouses):
    # the children of the withheld parents were orphans, and are valid once the parent came
    for key, value in warehouses.withheld.items():
        orphans, children = warehouses.orphans_before[key]
        assert orphans == children > 0, (key, value, orphans, children)
        assert _orphans(warehouses.delta, key, value) == (0, children), (key, value)
    duplicate = warehouses.updated["duplicate_order"]
    reasons = query(
        warehouses.delta,
        "select quarantine_reason, count(*) from staging.base_crm__orders "
        f"where order_id = '{duplicate}' group by 1 order by 1",
    )
    assert reasons == [("duplicate_key", 1), (None, 1)], reasons


def test_staging_judged_only_the_delta(warehouses: Warehouses):
    """The incremental build staged the delta's rows and the rows they can change, not all."""
    for model, (staged, total) in warehouses.staged_rows.items():
        assert 0 < staged < total / 4, (model, staged, total)


def test_updates_reached_the_marts(warehouses: Warehouses):
    u = warehouses.updated
    assert query(
        warehouses.delta, f"select category from marts.tickets where ticket_id = '{u['ticket']}'"
    ) == [("billing",)]
    name = query(
        warehouses.delta,
        f"select account_name from marts.customers where account_id = '{u['account']}'",
    )
    assert name and (name[0][0] is None or name[0][0].endswith(" Group"))

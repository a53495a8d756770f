"""Delta deliveries (issue 8, item 1): files holding only new and changed rows, merged by key.

A source that sends only what changed must end in the same warehouse as one that sends the
whole table again. Flow: generate demo data (the first, full delivery); make the next full
export of it (about 2 % new tickets, orders and responses with their children, plus updates
to old keys: a ticket moved to another category, an invoice now paid, an account renamed);
cut from that the delta: per table, only the rows whose key is new or whose rows changed,
and only the tables that changed.

- Warehouse A: full load, `dbt build`, then the delta loaded with `mode="delta"` and
  `dbt build` again (incremental models merging; every data test runs, so the staging keys
  (_batch_id, _source_row) and row conservation hold over a raw table merged from two files).
- Warehouse B: the next full export loaded in full, `dbt build --full-refresh`.
Every table of `marts` and `metrics` must be equal, except the lineage of quarantined rows
(which file and row they came from differs by construction).
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
from tests.dbt_helpers import difference, query, run_dbt, table_rows, tables

pytestmark = pytest.mark.slow

END_DATE = date(2026, 10, 31)
NO_TESTS = ["--exclude", "resource_type:test"]
COMPARED = ("marts", "metrics")


def _next_full_export(landing: Path) -> dict[str, str]:
    """Rewrite `landing` as the next full export; return which old keys were updated."""
    t = open_tables(landing, [tb.qualified for tb in TABLES])
    append_new_rows(t, share=0.02, days=2)
    tickets, invoices, accounts = t["ticketing.tickets"], t["crm.invoices"], t["crm.accounts"]
    tk_id, tk_cat = tickets.col("ticket_id"), tickets.col("category")
    moved = next(r for r in tickets.rows[:50] if r[tk_id].strip() and r[tk_cat] == "delivery")
    moved[tk_cat] = "billing"
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
    }


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


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> Warehouses:
    work = tmp_path_factory.mktemp("delta")
    first, second, delta = work / "first", work / "second", work / "delta"
    generate(first, accounts=200, seed=31, end_date=END_DATE, months=12)
    shutil.copytree(first, second)
    updated = _next_full_export(second)
    delta_rows = _cut_delta(first, second, delta)

    merged = work / "delta_warehouse.duckdb"
    load_landing(first, merged)
    run_dbt(merged, work, "build", *NO_TESTS)
    load_landing(delta, merged, mode="delta")
    run_dbt(merged, work, "build")  # incremental, every data test

    full = work / "full_warehouse.duckdb"
    load_landing(second, full)
    run_dbt(full, work, "build", "--full-refresh", *NO_TESTS)
    return Warehouses(merged, full, delta_rows, updated)


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

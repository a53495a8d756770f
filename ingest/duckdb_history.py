"""The DuckDB loader's raw relations and history: every delivered file written once.

Each changed file is written once, into its own batch table
``raw_history.<system>__<table>__<nnnnnn>`` (numbered in load order: the file's raw rows, as
the raw table holds them). From there:

- ``raw_<system>.<table>`` is a view on the latest full export's batch table; after a delta
  it is a table (the rows of the earlier raw relation whose key was not delivered, then the
  delta's rows), until the next full export makes it a view again;
- ``raw_history.<system>__<table>`` is a view that unions (by name) every batch table of the
  table: every delivered row of every changed file, append-only, with the contract columns,
  the optional columns delivered (ingest.contract OPTIONAL_COLUMNS: null in a batch without
  them) and the lineage columns (``_batch_id``, ``_loaded_at`` ...); extra columns outside
  the contract are in the raw relation only, as before;
- ``raw_meta.deliveries`` keeps one row per delivered file.

A warehouse loaded before (its history one table, ``raw_history.<system>__<table>``) is
migrated on its next load: that table is renamed to the table's batch ``000000`` (the
deliveries so far, unchanged) and the view takes its name. Readers see the same relations,
rows and columns either way: a raw relation is read the same whether it is a table or a view.

Values go into this module's SQL as quoted literals, not as parameters: binding a parameter
makes DuckDB's Python module import pandas (about 0.5 CPU s, a tenth of a load at 20k).
"""

from __future__ import annotations

import re

import duckdb

from ingest.contract import OPTIONAL_COLUMNS, Table
from ingest.files import LANDED_TABLES, LINEAGE_COLUMNS
from ingest.readers import META_SCHEMA, LoadedFile

HISTORY_SCHEMA = "raw_history"
MIGRATED = 0  # the batch number of a history table kept from before batch tables


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(value: object) -> str:
    """``value`` as a SQL literal: NULL, a number, or quoted text."""
    if value is None:
        return "null"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def raw_relation(t: Table) -> str:
    return f"{t.raw_schema}.{_q(t.name)}"


def history_name(t: Table) -> str:
    return f"{t.system}__{t.name}"


def history_view(t: Table) -> str:
    return f"{HISTORY_SCHEMA}.{_q(history_name(t))}"


def raw_kind(con: duckdb.DuckDBPyConnection, t: Table) -> str | None:
    """``table``, ``view`` or None (no raw relation for ``t``)."""
    row = con.execute(
        "select table_type from information_schema.tables "
        f"where table_schema = {lit(t.raw_schema)} and table_name = {lit(t.name)}"
    ).fetchone()
    if row is None:
        return None
    return "view" if row[0] == "VIEW" else "table"


def drop_raw(con: duckdb.DuckDBPyConnection, t: Table) -> None:
    """Drop the raw relation of ``t`` (a view or a table); its batch tables stay."""
    kind = raw_kind(con, t)
    if kind is not None:
        con.execute(f"drop {kind} {raw_relation(t)}")


def _batches(con: duckdb.DuckDBPyConnection, t: Table) -> list[int]:
    """The numbers of ``t``'s batch tables, in load order."""
    pattern = re.compile(re.escape(history_name(t)) + r"__(\d+)")
    names = con.execute(
        "select table_name from duckdb_tables() "
        f"where schema_name = {lit(HISTORY_SCHEMA)} and database_name = current_database() "
        f"and starts_with(table_name, {lit(history_name(t) + '__')})"
    ).fetchall()
    return sorted(int(m.group(1)) for (n,) in names if (m := pattern.fullmatch(n)))


def batch_table(t: Table, number: int) -> str:
    return f"{HISTORY_SCHEMA}.{_q(f'{history_name(t)}__{number:06d}')}"


def new_batch_table(con: duckdb.DuckDBPyConnection, t: Table) -> str:
    """The name for the next batch table of ``t`` (not created)."""
    numbers = _batches(con, t)
    return batch_table(t, (numbers[-1] if numbers else MIGRATED) + 1)


def refresh_history_view(con: duckdb.DuckDBPyConnection, t: Table) -> None:
    """(Re)create ``raw_history.<system>__<table>``: every batch table's history columns, in
    load order. Columns: the contract's, the optional ones in the order they first came
    (OPTIONAL_COLUMNS order within a delivery), then lineage, as the one history table had."""
    numbers = _batches(con, t)
    if not numbers:
        return
    names = {f"{history_name(t)}__{n:06d}": n for n in numbers}
    columns: dict[int, list[str]] = {n: [] for n in numbers}
    listed = ", ".join(lit(n) for n in names)
    for table_name, column in con.execute(
        "select table_name, column_name from duckdb_columns() "
        f"where schema_name = {lit(HISTORY_SCHEMA)} and database_name = current_database() "
        f"and table_name in ({listed}) order by table_name, column_index"
    ).fetchall():
        columns[names[table_name]].append(column)
    optional = [c.name for c in OPTIONAL_COLUMNS.get(t.qualified, ())]
    canonical = [*t.column_names, *optional, *LINEAGE_COLUMNS]
    selects = []
    for n in numbers:
        present = columns[n]
        if n == MIGRATED:  # the history table of before, in its own column order
            keep = [c for c in present if c in canonical]
        else:
            keep = [c for c in canonical if c in present]
        selects.append(f"select {', '.join(_q(c) for c in keep)} from {batch_table(t, n)}")
    con.execute(f"create schema if not exists {HISTORY_SCHEMA}")
    con.execute(
        f"create or replace view {history_view(t)} as {' union all by name '.join(selects)}"
    )


def migrate_history(con: duckdb.DuckDBPyConnection) -> list[Table]:
    """Turn every history kept as one table (a warehouse loaded before batch tables) into
    batch ``000000`` of its table and a view of the same name; returns the tables migrated."""
    tables = {
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() "
            f"where schema_name = {lit(HISTORY_SCHEMA)} and database_name = current_database()"
        ).fetchall()
    }
    migrated = [t for t in LANDED_TABLES if history_name(t) in tables]
    for t in migrated:
        con.execute(
            f"alter table {history_view(t)} rename to {_q(f'{history_name(t)}__{MIGRATED:06d}')}"
        )
        refresh_history_view(con, t)
    return migrated


def point_raw_at(con: duckdb.DuckDBPyConnection, t: Table, batch: str) -> None:
    """A full export: the raw relation becomes a view on its batch table."""
    drop_raw(con, t)
    con.execute(f"create view {raw_relation(t)} as select * from {batch}")


def merge_delta(con: duckdb.DuckDBPyConnection, t: Table, batch: str) -> None:
    """A delta: replace the rows of every delivered key (matched as staging matches keys:
    trimmed, blank is missing) and keep every other row; rows without a key are kept as
    delivered. The raw relation becomes a table holding the result."""
    same_key = " and ".join(
        f"nullif(trim(old.{_q(k)}), '') = nullif(trim(new.{_q(k)}), '')" for k in t.key
    )
    merged = f"{t.raw_schema}.{_q('_merging_' + t.name)}"
    con.execute(
        f"create table {merged} as "
        f"select * from {raw_relation(t)} as old "
        f"where not exists (select 1 from {batch} as new where {same_key}) "
        f"union all by name select * from {batch}"
    )
    drop_raw(con, t)
    con.execute(f"alter table {merged} rename to {_q(t.name)}")


def record_delivery(con: duckdb.DuckDBPyConnection, t: Table, loaded: LoadedFile) -> None:
    """One row in ``raw_meta.deliveries`` for a delivered file."""
    con.execute(
        f"""create table if not exists {META_SCHEMA}.deliveries (
            table_name varchar, source_file varchar, batch_id varchar, row_count bigint,
            extra_columns varchar, loaded_at timestamp)"""
    )
    values = (
        t.qualified,
        str(loaded.path),
        loaded.digest,
        loaded.delivered,
        ",".join(loaded.extra_columns),
    )
    con.execute(
        f"insert into {META_SCHEMA}.deliveries values "
        f"({', '.join(lit(v) for v in values)}, current_timestamp)"
    )

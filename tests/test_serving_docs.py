"""Descriptions reach BI tools: every table and column of the serving database carries its
description as a COMMENT (dbt's persist_docs in the working database, copied by publishing;
the `quality` tables described by publishing itself)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from publishing.serving import copy_published_schemas


def undocumented(database: Path) -> tuple[list[str], list[str], int, int]:
    """(tables, columns) of a database without a non-empty comment, and how many there are."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        tables = con.execute(
            "select schema_name || '.' || table_name, coalesce(trim(comment), '') = '' "
            "from duckdb_tables() where database_name = current_database() "
            "union all select schema_name || '.' || view_name, coalesce(trim(comment), '') = '' "
            "from duckdb_views() where database_name = current_database() and not internal"
        ).fetchall()
        columns = con.execute(
            "select schema_name || '.' || table_name || '.' || column_name, "
            "coalesce(trim(comment), '') = '' from duckdb_columns() "
            "where database_name = current_database()"
        ).fetchall()
    finally:
        con.close()
    return (
        sorted(name for name, missing in tables if missing),
        sorted(name for name, missing in columns if missing),
        len(tables),
        len(columns),
    )


def test_every_serving_table_and_column_is_described(demo_run, demo_settings):
    tables, columns, table_count, column_count = undocumented(demo_settings.serving_database)
    assert table_count >= 40 and column_count >= 400  # marts, metrics, reference, quality
    assert tables == [], f"serving tables without a description: {tables}"
    assert columns == [], f"serving columns without a description: {columns}"


def test_copy_keeps_comments_and_only_published_schemas(tmp_path: Path):
    working, serving = tmp_path / "working.duckdb", tmp_path / "serving.duckdb"
    con = duckdb.connect(str(working))
    con.execute("create schema marts; create schema staging")
    con.execute("create table marts.customers (account_id varchar, tier varchar)")
    con.execute("insert into marts.customers values ('a1', 'key'), ('a2', 'core')")
    con.execute("create table staging.secrets (email varchar)")
    con.execute("comment on table marts.customers is 'One row per account.'")
    con.execute("comment on column marts.customers.tier is 'Value tier; it''s from revenue.'")
    con.close()

    counts = copy_published_schemas(working, serving)

    assert counts == {"marts.customers": 2}
    con = duckdb.connect(str(serving), read_only=True)
    table_comment = con.execute(
        "select comment from duckdb_tables() where table_name = 'customers'"
    ).fetchone()[0]
    column_comments = dict(
        con.execute(
            "select column_name, comment from duckdb_columns() where table_name = 'customers'"
        ).fetchall()
    )
    schemas = {r[0] for r in con.execute("select schema_name from duckdb_tables()").fetchall()}
    con.close()
    assert table_comment == "One row per account."
    assert column_comments["tier"] == "Value tier; it's from revenue."
    assert not column_comments["account_id"]  # none in the working database: none invented
    assert schemas == {"marts"}
    assert undocumented(serving)[1] == ["marts.customers.account_id"]

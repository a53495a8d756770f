"""The serving database: the published schemas of the working database, with their docs.

BI tools read `serving.duckdb`, so it must say what each table and column means: dbt writes
every model's and seed's description into the working database as a COMMENT (`persist_docs`
in dbt_project.yml), and the copy keeps them (a `create table as` alone would drop them).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

PUBLISHED_SCHEMAS = ("marts", "metrics", "reference")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(*names: str) -> str:
    return ".".join('"' + n.replace('"', '""') + '"' for n in names)


def copy_comments(con: duckdb.DuckDBPyConnection, source: str, schemas: tuple[str, ...]) -> int:
    """Copy the table and column comments of ``schemas`` from the attached database
    ``source`` onto the same-named relations of the current database; returns how many."""
    in_list = ", ".join(_literal(s) for s in schemas)
    relations = con.execute(
        "select schema_name, table_name, comment from duckdb_tables() "
        f"where database_name = ? and schema_name in ({in_list}) and comment <> '' "
        "union all "
        "select schema_name, view_name, comment from duckdb_views() "
        f"where database_name = ? and not internal and schema_name in ({in_list}) "
        "and comment <> ''",
        [source, source],
    ).fetchall()
    columns = con.execute(
        "select schema_name, table_name, column_name, comment from duckdb_columns() "
        f"where database_name = ? and schema_name in ({in_list}) and comment <> ''",
        [source],
    ).fetchall()
    current = con.execute("select current_database()").fetchone()[0]
    present = {
        (s, t, c)
        for s, t, c in con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            "where database_name = ?",
            [current],
        ).fetchall()
    }
    tables = {(s, t) for s, t, _ in present}
    copied = 0
    for schema, name, comment in relations:
        if (schema, name) in tables:
            con.execute(f"comment on table {_ident(schema, name)} is {_literal(comment)}")
            copied += 1
    for schema, name, column, comment in columns:
        if (schema, name, column) in present:
            con.execute(f"comment on column {_ident(schema, name, column)} is {_literal(comment)}")
            copied += 1
    return copied


def copy_published_schemas(working: Path, target: Path) -> dict[str, int]:
    """Copy the published schemas of the working database into a new database file, with
    their table and column descriptions; returns the row count of every table copied."""
    counts: dict[str, int] = {}
    con = duckdb.connect(str(target))
    try:
        con.execute(f"attach {_literal(str(working))} as work (read_only)")
        # one transaction: a commit per copied table and per comment (hundreds) cost seconds
        con.execute("begin")
        in_list = ", ".join(_literal(s) for s in PUBLISHED_SCHEMAS)
        relations = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            f"where database_name = 'work' and schema_name in ({in_list}) "
            "union all "
            "select schema_name, view_name from duckdb_views() "
            f"where database_name = 'work' and not internal and schema_name in ({in_list}) "
            "order by 1, 2"
        ).fetchall()
        for schema, name in relations:
            con.execute(f"create schema if not exists {_ident(schema)}")
            con.execute(
                f"create table {_ident(schema, name)} as select * from work.{_ident(schema, name)}"
            )
            counts[f"{schema}.{name}"] = con.execute(
                f"select count(*) from {_ident(schema, name)}"
            ).fetchone()[0]
        copy_comments(con, "work", PUBLISHED_SCHEMAS)
        con.execute("commit")
        con.execute("detach work")
        con.execute("checkpoint")
    finally:
        con.close()
    return counts

"""Vendor tables into PostgreSQL (``cxw load --target postgres`` of a landing folder holding
``<vendor>/`` folders; docs/sources.md): schema ``<vendor>``, typed as Fivetran lands them.

The adapters (models/adapters/) are views over these tables, and PostgreSQL will not drop a
table a view depends on (DependentObjectsStillExist). A reload therefore keeps the table when
its columns are unchanged (emptied and refilled: the views stay valid and read the new rows);
when its columns changed, it drops the views over it that the build recreates (those in the
dbt schema ``adapters``) and stops with one line naming any other view, which it leaves alone.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from ingest.vendor_tables import LoadedVendorTable, VendorTableError

if TYPE_CHECKING:
    import pyarrow as pa

# the dbt schema of the adapter models: its views are rebuilt by every build
ADAPTERS_SCHEMA = "adapters"

# the views that depend on a relation, directly or through other views
_DEPENDENT_VIEWS = """
with recursive dependents(oid) as (
    select rewrite.ev_class
    from pg_depend as dep
    inner join pg_rewrite as rewrite on rewrite.oid = dep.objid
    where dep.classid = 'pg_rewrite'::regclass
        and dep.refobjid = %(relation)s::regclass
        and rewrite.ev_class <> dep.refobjid
    union
    select rewrite.ev_class
    from pg_depend as dep
    inner join pg_rewrite as rewrite on rewrite.oid = dep.objid
    inner join dependents on dependents.oid = dep.refobjid
    where dep.classid = 'pg_rewrite'::regclass
        and rewrite.ev_class <> dep.refobjid
)
select ns.nspname, cls.relname
from dependents
inner join pg_class as cls on cls.oid = dependents.oid
inner join pg_namespace as ns on ns.oid = cls.relnamespace
order by 1, 2
"""

_COLUMNS = """
select att.attname, format_type(att.atttypid, att.atttypmod)
from pg_attribute as att
where att.attrelid = %(relation)s::regclass and att.attnum > 0 and not att.attisdropped
order by att.attnum
"""

# postgres_type -> how format_type() names it
_FORMATTED = {"timestamp": "timestamp without time zone"}


def postgres_type(data_type: pa.DataType) -> str:
    """The PostgreSQL column type of a typed vendor column."""
    import pyarrow as pa

    if pa.types.is_integer(data_type):
        return "bigint"
    if pa.types.is_timestamp(data_type):
        return "timestamp"
    if pa.types.is_boolean(data_type):
        return "boolean"
    return "text"


def _prepare_table(cur, loaded: LoadedVendorTable, columns: list[tuple[str, str]], say) -> bool:
    """Make way for the new rows of ``loaded``: True when the existing table is kept
    (same columns and types, now emptied), False when the caller must create it."""
    from psycopg2 import sql

    name = f"{loaded.vendor}.{loaded.table}"
    relation = sql.Identifier(loaded.vendor, loaded.table)
    quoted = relation.as_string(cur)
    cur.execute("select to_regclass(%s)", [quoted])
    if cur.fetchone()[0] is None:
        return False
    cur.execute(_COLUMNS, {"relation": quoted})
    wanted = [(n, _FORMATTED.get(t, t)) for n, t in columns]
    if cur.fetchall() == wanted:
        cur.execute(sql.SQL("truncate table {}").format(relation))
        return True
    cur.execute(_DEPENDENT_VIEWS, {"relation": quoted})
    views = cur.fetchall()
    foreign = [f"{s}.{v}" for s, v in views if s != ADAPTERS_SCHEMA]
    if foreign:
        raise VendorTableError(
            f"{loaded.path}: the columns of {name} changed, and view "
            f"{', '.join(foreign)} depends on the table in PostgreSQL: drop or adapt "
            f"that view, then load again (the vendor tables were left as they were)"
        )
    for schema, view in views:  # the adapters' views: the next build recreates them
        cur.execute(sql.SQL("drop view if exists {} cascade").format(sql.Identifier(schema, view)))
    if views:
        say(f"{name}: columns changed; dropped {len(views)} adapter views (rebuilt by the build)")
    cur.execute(sql.SQL("drop table {}").format(relation))
    return False


def load_postgres_vendor(
    tables: list[tuple[LoadedVendorTable, pa.Table]],
    settings,  # ingest.postgres_loader.PostgresSettings
    say: Callable[[str], None],
) -> None:
    """Vendor tables into PostgreSQL schema ``<vendor>``, typed as Fivetran lands them
    (replaced, in one transaction; see the module's docstring for views over them)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    from psycopg2 import sql

    con = settings.connect()
    try:
        with con, con.cursor() as cur:
            for loaded, data in tables:
                cur.execute(
                    sql.SQL("create schema if not exists {}").format(sql.Identifier(loaded.vendor))
                )
                relation = sql.Identifier(loaded.vendor, loaded.table)
                typed = [(f.name, postgres_type(f.type)) for f in data.schema]
                if not _prepare_table(cur, loaded, typed, say):
                    columns = [
                        sql.SQL("{} {}").format(sql.Identifier(n), sql.SQL(t)) for n, t in typed
                    ]
                    cur.execute(
                        sql.SQL("create table {} ({})").format(
                            relation, sql.SQL(", ").join(columns)
                        )
                    )
                text = pa.table(
                    {
                        f.name: data.column(f.name).cast(pa.string())
                        if not pa.types.is_timestamp(f.type)
                        else pc.strftime(data.column(f.name), format="%Y-%m-%d %H:%M:%S")
                        for f in data.schema
                    }
                )
                copy = sql.SQL("copy {} ({}) from stdin with (format csv)").format(
                    relation, sql.SQL(", ").join(sql.Identifier(n) for n in data.column_names)
                )
                buffer = io.BytesIO()  # every value quoted, NULL unquoted: COPY tells them apart
                pacsv.write_csv(
                    text,
                    buffer,
                    pacsv.WriteOptions(include_header=False, quoting_style="all_valid"),
                )
                buffer.seek(0)
                cur.copy_expert(copy.as_string(con), buffer)
                cur.execute(sql.SQL("analyze {}").format(relation))
                say(f"{loaded.qualified}: {loaded.rows:,} rows into {loaded.qualified}")
    finally:
        con.close()

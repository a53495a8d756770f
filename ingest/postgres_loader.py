"""The PostgreSQL loader: a landing folder into the raw schemas of a PostgreSQL database.

The same raw layer as DuckDB's: ``raw_crm``, ``raw_ticketing``, ``raw_survey`` (+
``raw_meta.loads``), every contract and extra column as text, plus the lineage columns
``_source_file``, ``_source_row`` (bigint), ``_batch_id`` and ``_loaded_at`` (timestamp, UTC).
The connection comes from the profile's environment variables (``CXW_PG_HOST``, ``_PORT``,
``_USER``, ``_PASSWORD``, ``_DATABASE``). Every table is dropped, re-created, filled with COPY
from an in-memory CSV and analysed (planner statistics), all in one transaction: readers see
the old raw layer or the new one, never a mix.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from ingest.contract import OPTIONAL_TABLES, SYSTEMS
from ingest.files import LandingError
from ingest.readers import META_SCHEMA, LoadedFile


@dataclass(frozen=True)
class PostgresSettings:
    """The connection of the profile's ``postgres`` target, from the same variables."""

    host: str = "127.0.0.1"
    port: int = 5432
    user: str = "postgres"
    password: str = ""
    database: str = "cx_warehouse"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> PostgresSettings:
        env = dict(os.environ if env is None else env)
        return cls(
            host=env.get("CXW_PG_HOST", cls.host),
            port=int(env.get("CXW_PG_PORT", cls.port)),
            user=env.get("CXW_PG_USER", cls.user),
            password=env.get("CXW_PG_PASSWORD", cls.password),
            database=env.get("CXW_PG_DATABASE", cls.database),
        )

    def env(self) -> dict[str, str]:
        """The variables that make the profile's ``postgres`` target point here."""
        return {
            "CXW_PG_HOST": self.host,
            "CXW_PG_PORT": str(self.port),
            "CXW_PG_USER": self.user,
            "CXW_PG_PASSWORD": self.password,
            "CXW_PG_DATABASE": self.database,
        }

    @property
    def location(self) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.database}"

    def connect(self) -> Any:
        import psycopg2

        return psycopg2.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            dbname=self.database,
            application_name="cxw-load",
        )


def _pg_copy_buffer(data: pa.Table) -> io.BytesIO:
    # Quote every value and leave NULLs unquoted: COPY ... CSV then tells NULL from ''.
    buffer = io.BytesIO()
    pacsv.write_csv(
        data, buffer, pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
    )
    buffer.seek(0)
    return buffer


def load_postgres(
    tables: list[tuple[LoadedFile, pa.Table]],
    settings: PostgresSettings,
    say: Callable[[str], None],
) -> None:
    """Replace the raw tables with ``tables`` (read by ``readers.read_landing``), all in one
    transaction, and record each in raw_meta.loads."""
    import psycopg2
    from psycopg2 import sql

    try:
        con = settings.connect()
    except psycopg2.OperationalError as exc:
        raise LandingError(
            f"cannot connect to PostgreSQL at {settings.location}: {exc}".strip()
            + " (set CXW_PG_HOST, CXW_PG_PORT, CXW_PG_USER, CXW_PG_PASSWORD, CXW_PG_DATABASE)"
        ) from exc
    try:
        # One transaction: PostgreSQL's DDL is transactional, so readers see the old raw
        # layer or the new one, never a mix.
        with con, con.cursor() as cur:
            for schema in [f"raw_{s}" for s in SYSTEMS] + [META_SCHEMA]:
                cur.execute(
                    sql.SQL("create schema if not exists {}").format(sql.Identifier(schema))
                )
            cur.execute(
                sql.SQL(
                    "create table if not exists {}.loads (table_name text primary key, "
                    "source_file text, batch_id text, row_count bigint, extra_columns text, "
                    "loaded_at timestamp)"
                ).format(sql.Identifier(META_SCHEMA))
            )
            for loaded, data in tables:
                t = loaded.table
                relation = sql.Identifier(t.raw_schema, t.name)
                columns = [
                    sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(_pg_type(name)))
                    for name in data.column_names
                ]
                cur.execute(sql.SQL("drop table if exists {}").format(relation))
                cur.execute(
                    sql.SQL("create table {} ({})").format(relation, sql.SQL(", ").join(columns))
                )
                copy = sql.SQL("copy {} ({}) from stdin with (format csv)").format(
                    relation, sql.SQL(", ").join(sql.Identifier(n) for n in data.column_names)
                )
                try:
                    cur.copy_expert(copy.as_string(con), _pg_copy_buffer(data))
                except psycopg2.DataError as exc:
                    raise LandingError(
                        f"{loaded.path}: PostgreSQL rejected a value: {exc}".strip()
                    ) from exc
                # statistics now, not when autovacuum gets to it: staging is planned on them
                cur.execute(sql.SQL("analyze {}").format(relation))
                cur.execute(
                    sql.SQL(
                        "insert into {}.loads values (%s, %s, %s, %s, %s, "
                        "(now() at time zone 'UTC')::timestamp(0)) "
                        "on conflict (table_name) do update set source_file = excluded.source_file,"
                        " batch_id = excluded.batch_id, row_count = excluded.row_count,"
                        " extra_columns = excluded.extra_columns, loaded_at = excluded.loaded_at"
                    ).format(sql.Identifier(META_SCHEMA)),
                    [
                        t.qualified,
                        str(loaded.path),
                        loaded.digest,
                        loaded.rows,
                        ",".join(loaded.extra_columns),
                    ],
                )
                say(f"{t.qualified}: {loaded.rows:,} rows into {t.raw_schema}.{t.name}")
            # an optional table this full delivery leaves out is not there: dbt reads it as
            # absent (macro optional_source), not as an earlier load's rows
            delivered = {loaded.table for loaded, _ in tables}
            for t in OPTIONAL_TABLES:
                if t not in delivered:
                    cur.execute(
                        sql.SQL("drop table if exists {}").format(
                            sql.Identifier(t.raw_schema, t.name)
                        )
                    )
                    cur.execute(
                        sql.SQL("delete from {}.loads where table_name = %s").format(
                            sql.Identifier(META_SCHEMA)
                        ),
                        [t.qualified],
                    )
    finally:
        con.close()


def _pg_type(column: str) -> str:
    return {"_source_row": "bigint", "_loaded_at": "timestamp"}.get(column, "text")

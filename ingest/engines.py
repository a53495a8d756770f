"""Load a landing folder into the raw schemas of PostgreSQL or Spark.

DuckDB, the embedded default, is loaded by ``ingest.landing.load_landing``. The same
dbt project also builds on PostgreSQL and Spark (``DBT_TARGET=postgres|spark``); this module
puts the raw layer there, in the same shape: ``raw_crm``, ``raw_ticketing``, ``raw_survey``
(+ ``raw_meta.loads``), every contract and extra column as text, plus the lineage columns
``_source_file``, ``_source_row`` (bigint), ``_batch_id`` and ``_loaded_at`` (timestamp, UTC).
Files are read and checked by ``landing.read_landing`` first, so a bad landing folder fails
with the same message and writes nothing on any engine.

- PostgreSQL: connection from the profile's environment variables (``CXW_PG_HOST``, ``_PORT``,
  ``_USER``, ``_PASSWORD``, ``_DATABASE``); every table is dropped, re-created, filled with
  COPY from an in-memory CSV and analysed (planner statistics), all in one transaction.
- Spark: a local SparkSession with Hive support on the same warehouse and Derby metastore as
  the profile's ``spark`` target (``CXW_SPARK_WAREHOUSE_DIR``, ``CXW_SPARK_DERBY_DIR``; by
  default under ``$CXW_DATA_DIR/spark``). Tables are parquet, written by ``saveAsTable``.
  Spark has no multi-table transaction: every table is first written under a temporary name,
  then swapped in, so a failed write leaves the previous raw tables in place. An embedded
  Derby metastore admits one JVM at a time, so the session's JVM is shut down after the load
  (dbt's session, in another process, needs the metastore next).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.csv as pacsv

from ingest.contract import SYSTEMS
from ingest.landing import META_SCHEMA, LandingError, LoadedFile, read_landing
from lib.settings import Settings

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

TARGETS: tuple[str, ...] = ("postgres", "spark")
SUPPORTED_JAVA = (17, 21)  # Spark 4 runs on Java 17 and 21


@dataclass
class EngineLoadResult:
    target: str
    location: str  # where the raw tables went: a PostgreSQL DSN without password, a folder
    files: list[LoadedFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rows(self) -> dict[str, int]:
        return {f.table.qualified: f.rows for f in self.files}


# ------------------------------------------------------------------------------ PostgreSQL
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


def _load_postgres(
    tables: list[tuple[LoadedFile, pa.Table]],
    settings: PostgresSettings,
    say: Callable[[str], None],
) -> None:
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
    finally:
        con.close()


def _pg_type(column: str) -> str:
    return {"_source_row": "bigint", "_loaded_at": "timestamp"}.get(column, "text")


# ------------------------------------------------------------------------------ Spark
@dataclass(frozen=True)
class SparkSettings:
    """Where a local Spark keeps its tables and its Derby metastore (as the dbt profile)."""

    warehouse_dir: Path
    derby_dir: Path  # derby.system.home: holds metastore_db/ and derby.log
    master: str = "local[2]"
    shuffle_partitions: str = "4"  # Spark's 200 is meant for clusters

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> SparkSettings:
        env = dict(os.environ if env is None else env)
        data = (
            Path(env["CXW_DATA_DIR"]).expanduser()
            if env.get("CXW_DATA_DIR")
            else Settings.from_env().data_dir
        )
        warehouse = env.get("CXW_SPARK_WAREHOUSE_DIR") or str(data / "spark" / "warehouse")
        derby = env.get("CXW_SPARK_DERBY_DIR") or str(data / "spark")
        return cls(
            warehouse_dir=Path(warehouse).expanduser().resolve(),
            derby_dir=Path(derby).expanduser().resolve(),
            master=env.get("CXW_SPARK_MASTER", cls.master),
            shuffle_partitions=env.get("CXW_SPARK_SHUFFLE_PARTITIONS", cls.shuffle_partitions),
        )

    def env(self) -> dict[str, str]:
        """The variables that make the profile's ``spark`` target use this warehouse."""
        return {
            "CXW_SPARK_WAREHOUSE_DIR": str(self.warehouse_dir),
            "CXW_SPARK_DERBY_DIR": str(self.derby_dir),
            "CXW_SPARK_MASTER": self.master,
            "CXW_SPARK_SHUFFLE_PARTITIONS": self.shuffle_partitions,
            "SPARK_LOCAL_IP": os.environ.get("SPARK_LOCAL_IP", "127.0.0.1"),
        }

    def config(self) -> dict[str, str]:
        """Session settings; the same as the profile's ``server_side_parameters``."""
        return {
            "spark.master": self.master,
            "spark.sql.session.timeZone": "UTC",
            "spark.sql.warehouse.dir": str(self.warehouse_dir),
            "spark.driver.extraJavaOptions": f'-Dderby.system.home="{self.derby_dir}"',
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.shuffle.partitions": self.shuffle_partitions,
            "spark.hadoop.hive.hmshandler.retry.attempts": "1",
            "spark.hadoop.hive.hmshandler.retry.interval": "0ms",
        }


def _java_major(java: str) -> int | None:
    try:
        out = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except OSError:
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def find_java_home() -> Path | None:
    """A Java home that Spark 4 runs on (17 or 21): $JAVA_HOME, `java` on PATH, /usr/lib/jvm."""
    candidates: list[Path] = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(Path(os.environ["JAVA_HOME"]))
    on_path = shutil.which("java")
    if on_path:
        candidates.append(Path(on_path).resolve().parent.parent)
    jvm = Path("/usr/lib/jvm")
    if jvm.is_dir():
        for version in SUPPORTED_JAVA:
            candidates += sorted(p for p in jvm.glob(f"*{version}*") if p.is_dir())
    for home in candidates:
        java = home / "bin" / "java"
        if java.is_file() and _java_major(str(java)) in SUPPORTED_JAVA:
            return home
    return None


def prepare_spark_environment() -> None:
    """Environment a local Spark needs before its JVM starts (loopback address, Java)."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    java_ok = (
        os.environ.get("JAVA_HOME")
        and _java_major(str(Path(os.environ["JAVA_HOME"]) / "bin" / "java")) in SUPPORTED_JAVA
    )
    if not java_ok:
        home = find_java_home()
        if home is None:
            raise RuntimeError(
                "Spark 4 needs Java 17 or 21 and none was found (JAVA_HOME, PATH, /usr/lib/jvm);"
                " install openjdk-17-jre-headless (scripts/install_system_deps.sh)"
            )
        os.environ["JAVA_HOME"] = str(home)


def _stop_spark_jvm() -> None:
    # SparkSession.stop() leaves the py4j gateway JVM running, and with it the Derby lock on
    # the metastore. Closing the gateway's stdin makes the JVM exit; a later session in this
    # process then launches a new one.
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    if gateway is None:
        return
    with contextlib.suppress(Exception):
        gateway.shutdown()
    proc = getattr(gateway, "proc", None)
    if proc is not None:
        with contextlib.suppress(Exception):
            proc.stdin.close()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
    SparkContext._gateway = None
    SparkContext._jvm = None


@contextlib.contextmanager
def spark_session(settings: SparkSettings | None = None) -> Iterator[SparkSession]:
    """A local SparkSession on the project's warehouse and metastore.

    An active session of the caller on the same warehouse is used as it is and left running.
    Otherwise a new one is started and, on exit, stopped with its JVM, which frees the
    embedded Derby metastore for the next process (dbt)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise RuntimeError(
            "pyspark is not installed: the Spark engine needs the project's `spark` extra"
        ) from exc

    settings = settings or SparkSettings.from_env()
    active = SparkSession.getActiveSession()
    if active is not None:
        # One SparkContext per process: its warehouse cannot change, so it must be ours.
        current = active.conf.get("spark.sql.warehouse.dir", "").removeprefix("file:")
        if Path(current).resolve() != settings.warehouse_dir:
            raise RuntimeError(
                f"a SparkSession is already active on warehouse {current}, not "
                f"{settings.warehouse_dir}; stop it first or use its warehouse"
            )
        yield active
        return
    prepare_spark_environment()
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    settings.derby_dir.mkdir(parents=True, exist_ok=True)
    builder = SparkSession.builder.appName("cxw").enableHiveSupport()
    for key, value in settings.config().items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        try:
            session.stop()
        finally:
            _stop_spark_jvm()


def _load_spark(
    tables: list[tuple[LoadedFile, pa.Table]],
    session: SparkSession,
    say: Callable[[str], None],
) -> None:
    from pyspark.sql import Row
    from pyspark.sql import functions as F
    from pyspark.sql.types import (
        LongType,
        StringType,
        StructField,
        StructType,
        TimestampType,
    )

    for schema in [f"raw_{s}" for s in SYSTEMS] + [META_SCHEMA]:
        session.sql(f"create database if not exists `{schema}`")
    # Write every table under a temporary name first; swap only when all are written.
    staged: list[tuple[str, str]] = []
    try:
        for loaded, data in tables:
            t = loaded.table
            temporary = f"`{t.raw_schema}`.`_cxw_new_{t.name}`"
            session.sql(f"drop table if exists {temporary}")
            frame = session.createDataFrame(data).withColumn(
                "_loaded_at", F.col("_loaded_at").cast(TimestampType())
            )
            frame.write.mode("overwrite").format("parquet").saveAsTable(temporary)
            staged.append((temporary, f"`{t.raw_schema}`.`{t.name}`"))
            say(f"{t.qualified}: wrote {loaded.rows:,} rows")
        for temporary, final in staged:
            session.sql(f"drop table if exists {final}")
            session.sql(f"alter table {temporary} rename to {final}")
        staged.clear()
    finally:
        for temporary, _ in staged:
            with contextlib.suppress(Exception):
                session.sql(f"drop table if exists {temporary}")

    loads_schema = StructType(
        [
            StructField("table_name", StringType()),
            StructField("source_file", StringType()),
            StructField("batch_id", StringType()),
            StructField("row_count", LongType()),
            StructField("extra_columns", StringType()),
        ]
    )
    loads = session.createDataFrame(
        [
            Row(
                loaded.table.qualified,
                str(loaded.path),
                loaded.digest,
                loaded.rows,
                ",".join(loaded.extra_columns),
            )
            for loaded, _ in tables
        ],
        loads_schema,
    ).withColumn("loaded_at", F.date_trunc("second", F.current_timestamp()))
    loads.write.mode("overwrite").format("parquet").saveAsTable(f"`{META_SCHEMA}`.`loads`")


# ------------------------------------------------------------------------------ entry point
def load_landing_into(
    target: str,
    landing: str | Path,
    *,
    postgres: PostgresSettings | None = None,
    spark: SparkSettings | None = None,
    progress: Callable[[str], None] | None = None,
) -> EngineLoadResult:
    """Check every file of ``landing`` and load it into the raw schemas of ``target``.

    ``target`` is ``postgres`` or ``spark`` (for ``duckdb`` use ``landing.load_landing``).
    Connection and paths come from the profile's environment variables unless given. Every
    load replaces the raw tables (no digest skipping, unlike the DuckDB loader)."""
    if target not in TARGETS:
        raise ValueError(
            f"unknown target {target!r}: expected one of {', '.join(TARGETS)} "
            "(DuckDB is loaded by ingest.landing.load_landing)"
        )
    started = time.perf_counter()
    say = progress or (lambda _msg: None)
    tables, warnings = read_landing(Path(landing), progress=say)
    if target == "postgres":
        settings = postgres or PostgresSettings.from_env()
        _load_postgres(tables, settings, say)
        location = settings.location
    else:
        settings_spark = spark or SparkSettings.from_env()
        with spark_session(settings_spark) as session:
            _load_spark(tables, session, say)
        location = str(settings_spark.warehouse_dir)
    return EngineLoadResult(
        target=target,
        location=location,
        files=[loaded for loaded, _ in tables],
        warnings=warnings,
        seconds=time.perf_counter() - started,
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m ingest.engines postgres|spark LANDING``: load and print row counts."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m ingest.engines")
    parser.add_argument("target", choices=TARGETS)
    parser.add_argument("landing", type=Path)
    args = parser.parse_args(argv)
    try:
        result = load_landing_into(args.target, args.landing, progress=print)
    except LandingError as exc:
        print(f"error: {exc}")
        return 1
    for warning in result.warnings:
        print(f"warning: {warning}")
    print(
        f"loaded {sum(result.rows.values()):,} rows into {result.location} "
        f"in {result.seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

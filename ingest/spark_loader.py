"""The Spark loader: a landing folder into the raw schemas of the Spark warehouse.

A SparkSession with Hive support on the same master, warehouse and Derby metastore as the
profile's ``spark`` target (``CXW_SPARK_MASTER``, default ``local[2]``, or a cluster such as
``spark://host:7077``; ``CXW_SPARK_WAREHOUSE_DIR``, ``CXW_SPARK_DERBY_DIR``; by default under
``$CXW_DATA_DIR/spark``). On a cluster the executors write the table files, so the warehouse
must be a path they all see (the same machine, or a shared filesystem); the metastore stays
in this process (the driver). Tables are parquet, written by ``saveAsTable``, in the same
shape as DuckDB's raw layer (text columns plus lineage). Spark has no multi-table transaction:
every table is first written under a temporary name, then swapped in, so a failed write leaves
the previous raw tables in place. An embedded Derby metastore admits one JVM at a time, so the
session's JVM is shut down after the load (dbt's session, in another process, needs the
metastore next). Also here: finding a Java that Spark 4 runs on.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from ingest.contract import OPTIONAL_TABLES, SYSTEMS
from ingest.readers import META_SCHEMA, LoadedFile
from lib.settings import SPARK_MASTER_DEFAULT, Settings, spark_master

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

SUPPORTED_JAVA = (17, 21)  # Spark 4 runs on Java 17 and 21


@dataclass(frozen=True)
class SparkSettings:
    """Where a local Spark keeps its tables and its Derby metastore (as the dbt profile)."""

    warehouse_dir: Path
    derby_dir: Path  # derby.system.home: holds metastore_db/ and derby.log
    master: str = SPARK_MASTER_DEFAULT  # or a cluster: spark://host:7077
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
            master=spark_master(env),
            shuffle_partitions=env.get("CXW_SPARK_SHUFFLE_PARTITIONS", cls.shuffle_partitions),
        )

    @property
    def on_this_machine(self) -> bool:
        """A local session, or a cluster whose master listens on the loopback address."""
        return is_loopback_master(self.master)

    def env(self) -> dict[str, str]:
        """The variables that make the profile's ``spark`` target use this warehouse."""
        env = {
            "CXW_SPARK_WAREHOUSE_DIR": str(self.warehouse_dir),
            "CXW_SPARK_DERBY_DIR": str(self.derby_dir),
            "CXW_SPARK_MASTER": self.master,
            "CXW_SPARK_SHUFFLE_PARTITIONS": self.shuffle_partitions,
        }
        if self.on_this_machine or os.environ.get("SPARK_LOCAL_IP"):
            env["SPARK_LOCAL_IP"] = os.environ.get("SPARK_LOCAL_IP", "127.0.0.1")
        return env

    def config(self, app_name: str = "cxw-load") -> dict[str, str]:
        """Session settings; the same as the profile's ``server_side_parameters``."""
        return {
            "spark.master": self.master,
            "spark.app.name": app_name,
            "spark.sql.session.timeZone": "UTC",
            "spark.sql.warehouse.dir": str(self.warehouse_dir),
            "spark.driver.extraJavaOptions": f'-Dderby.system.home="{self.derby_dir}"',
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.shuffle.partitions": self.shuffle_partitions,
            "spark.hadoop.hive.hmshandler.retry.attempts": "1",
            "spark.hadoop.hive.hmshandler.retry.interval": "0ms",
        }


def is_loopback_master(master: str) -> bool:
    """``local[...]``, or ``spark://`` masters on 127.0.0.1 / localhost only. Executors of a
    remote cluster must reach the driver, so it must not bind to the loopback address."""
    if master.startswith("local"):
        return True
    if not master.startswith("spark://"):
        return False
    hosts = [part.rsplit(":", 1)[0] for part in master.removeprefix("spark://").split(",")]
    return all(host in ("127.0.0.1", "localhost") for host in hosts)


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


def prepare_spark_environment(master: str = SPARK_MASTER_DEFAULT) -> None:
    """Environment Spark needs before its JVM starts: Java, and for a session or cluster on
    this machine the loopback address (a remote cluster's executors must reach the driver on
    an address of the network: SPARK_LOCAL_IP is then left as it is)."""
    if is_loopback_master(master):
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
def spark_session(
    settings: SparkSettings | None = None, app_name: str = "cxw-load"
) -> Iterator[SparkSession]:
    """A SparkSession on the project's master, warehouse and metastore, named ``app_name``
    (the name a cluster's master lists it under).

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
        if active.sparkContext.master != settings.master:
            raise RuntimeError(
                f"a SparkSession is already active on master {active.sparkContext.master}, "
                f"not {settings.master}; stop it first or use its master"
            )
        yield active
        return
    prepare_spark_environment(settings.master)
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    settings.derby_dir.mkdir(parents=True, exist_ok=True)
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in settings.config(app_name).items():
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


def load_spark(
    tables: list[tuple[LoadedFile, pa.Table]],
    session: SparkSession,
    say: Callable[[str], None],
) -> None:
    """Write ``tables`` (read by ``readers.read_landing``) as the raw tables: each under a
    temporary name first, swapped in when all are written; then raw_meta.loads."""
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
        # an optional table this full delivery leaves out is not there (macro optional_source)
        delivered = {loaded.table for loaded, _ in tables}
        for t in OPTIONAL_TABLES:
            if t not in delivered:
                session.sql(f"drop table if exists `{t.raw_schema}`.`{t.name}`")
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

"""Load a landing folder into the raw schemas of any engine: the one entry point.

``load_landing_into(target, landing, ...)`` checks every file of the folder (``ingest.files``)
and loads it into the raw schemas of ``duckdb`` (the embedded default, ``ingest.duckdb_loader``),
``postgres`` (``ingest.postgres_loader``) or ``spark`` (``ingest.spark_loader``). Every engine
gets the same raw layer: every contract and extra column as text plus the lineage columns, and
a bad landing folder fails with the same message and writes nothing on any engine.
``cxw load --target duckdb|postgres|spark`` calls it.

The package's public names are importable from here: ``load_landing`` (DuckDB, with delta
deliveries and history), ``read_landing`` (check and read without writing), ``LandingError``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.csv_format import CsvFormat
from ingest.duckdb_loader import DELIVERY_MODES, load_landing
from ingest.files import LandingError
from ingest.readers import LoadedFile, LoadResult, read_landing
from ingest.vendor_tables import read_vendor_tables, vendor_folders

if TYPE_CHECKING:  # the PostgreSQL and Spark loaders (pyarrow) are imported when used
    from ingest.postgres_loader import PostgresSettings
    from ingest.spark_loader import SparkSettings

__all__ = [
    "DELIVERY_MODES",
    "TARGETS",
    "LandingError",
    "LoadResult",
    "LoadedFile",
    "load_landing",
    "load_landing_into",
    "read_landing",
]

TARGETS: tuple[str, ...] = ("duckdb", "postgres", "spark")


def load_landing_into(
    target: str,
    landing: str | Path,
    *,
    database: str | Path | None = None,
    mode: str = "full",
    csv_format: CsvFormat | None = None,
    postgres: PostgresSettings | None = None,
    spark: SparkSettings | None = None,
    progress: Callable[[str], None] | None = None,
) -> LoadResult:
    """Check every file of ``landing`` and load it into the raw schemas of ``target``.

    ``duckdb`` loads into the file ``database`` (required) with the delivery ``mode`` (full
    or delta) and skips files unchanged since the last load. ``postgres`` and ``spark`` take
    their connection and paths from the profile's environment variables unless given; they
    load full exports only (every load replaces the raw tables). ``csv_format`` says how CSV
    files are written (default: from CXW_CSV_DELIMITER / CXW_CSV_ENCODING)."""
    if target not in TARGETS:
        raise LandingError(
            f"unknown target {target!r}: use one of {', '.join(TARGETS)} (--target or DBT_TARGET)"
        )
    if target == "duckdb":
        if database is None:
            raise ValueError("the duckdb target needs the database file to load into")
        return load_landing(landing, database, mode=mode, csv_format=csv_format, progress=progress)
    if mode != "full":
        raise LandingError(
            f"delta deliveries are merged by the DuckDB loader only: load full exports into "
            f"{target}, or load the delta with --target duckdb"
        )
    started = time.perf_counter()
    say = progress or (lambda _msg: None)
    tables, warnings = read_landing(Path(landing), csv_format=csv_format, progress=say)
    vendors = vendor_folders(Path(landing))
    vendor_files = []
    if target == "postgres":
        from ingest.postgres_loader import PostgresSettings, load_postgres
        from ingest.vendor_postgres import load_postgres_vendor

        settings = postgres or PostgresSettings.from_env()
        load_postgres(tables, settings, say)
        if vendors:  # <landing>/<vendor>/: typed, into schema <vendor> (docs/sources.md)
            vendor_tables = read_vendor_tables(Path(landing), vendors, say)
            load_postgres_vendor(vendor_tables, settings, say)
            vendor_files = [v for v, _ in vendor_tables]
        location = settings.location
    else:
        if vendors:
            raise LandingError(
                f"{landing}: vendor folders ({', '.join(vendors)}) are loaded into DuckDB and "
                "PostgreSQL only, where vendor sources are read: load them with --target duckdb "
                "or postgres (docs/sources.md)"
            )
        from ingest.spark_loader import SparkSettings, load_spark, spark_session

        settings_spark = spark or SparkSettings.from_env()
        with spark_session(settings_spark) as session:
            load_spark(tables, session, say)
        location = str(settings_spark.warehouse_dir)
    return LoadResult(
        target=target,
        location=location,
        files=[loaded for loaded, _ in tables],
        warnings=warnings,
        seconds=time.perf_counter() - started,
        vendor_files=vendor_files,
    )

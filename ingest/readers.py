"""Readers: the rows of a checked landing file as raw-table record batches.

Raw tables keep every value as text (the contract columns in contract order, then any extra
columns), plus lineage columns: ``_source_file``, ``_source_row`` (1-based data row),
``_batch_id`` (a digest of the file) and ``_loaded_at`` (UTC). Typing, validation and
quarantine happen in dbt staging, which is what lets a row with an unparseable timestamp be
quarantined instead of failing the load. Files are read in batches, so memory stays flat
whatever their size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.contract import Table
from ingest.csv_format import CsvFormat
from ingest.files import (
    CheckedFile,
    LandingError,
    check_file,
    encoding_error,
    file_digest,
    find_files,
)
from ingest.timestamps import timestamp_text

if TYPE_CHECKING:  # pyarrow is imported where rows are streamed: the DuckDB loader's fast
    import pyarrow as pa  # path (ingest.csv_fast) needs none of it

META_SCHEMA = "raw_meta"  # raw_meta.loads: one row per raw table, its file, batch id, rows


@dataclass
class LoadedFile:
    table: Table
    path: Path
    digest: str
    rows: int
    extra_columns: list[str]
    skipped: bool = False  # unchanged since the last load
    delivered: int = 0  # rows in the file (in full mode the same as `rows`)
    merged: bool = False  # a delta merged by key into the existing raw table
    read_by_duckdb: bool = False  # the DuckDB loader's fast path read it (ingest.csv_fast)


@dataclass
class LoadResult:
    """What a load did, on any engine."""

    target: str  # duckdb, postgres or spark
    location: str  # where the raw tables went: a DuckDB file, a DSN without password, a folder
    files: list[LoadedFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    vendor_files: list = field(default_factory=list)  # LoadedVendorTable: <landing>/<vendor>/

    @property
    def database(self) -> Path:
        """The DuckDB file (for the ``duckdb`` target)."""
        return Path(self.location)

    @property
    def rows(self) -> dict[str, int]:
        return {f.table.qualified: f.rows for f in self.files}


def _file_batches(f: CheckedFile, batch_bytes: int = 1 << 24) -> Iterator[pa.RecordBatch]:
    """The file's rows in batches, every column as text, as delivered."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    path = f.path
    if path.suffix == ".csv":
        fmt = f.csv_format
        try:
            reader = pacsv.open_csv(
                path,
                read_options=pacsv.ReadOptions(
                    column_names=f.names,
                    skip_rows=1,
                    # a block must hold a whole row: room for the longest (a huge field)
                    block_size=max(batch_bytes, 2 * f.longest_row),
                    encoding="utf8" if fmt.is_utf8 else fmt.encoding,
                ),
                parse_options=pacsv.ParseOptions(delimiter=fmt.delimiter, newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in f.names},
                    null_values=[""],  # only an empty field is NULL: "NA" is Namibia
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )
            yield from reader
        except pa.ArrowInvalid as exc:
            msg = str(exc)
            if "UTF8" in msg or "utf8" in msg.lower():
                raise encoding_error(path, fmt) from exc
            raise LandingError(f"{path}: not a well-formed CSV file: {msg}") from exc
    else:
        try:
            parquet = pq.ParquetFile(path)
            for batch in parquet.iter_batches(batch_size=100_000):
                yield pa.RecordBatch.from_arrays(
                    [as_text(batch.column(i)) for i in range(batch.num_columns)], names=f.names
                )
        except (pa.ArrowInvalid, OSError) as exc:
            raise LandingError(f"{path}: not a readable Parquet file: {exc}") from exc


def as_text(column: pa.Array) -> pa.Array:
    """A Parquet column as the text the raw layer keeps."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_string(column.type):
        return column
    if pa.types.is_large_string(column.type):
        return column.cast(pa.string())
    if pa.types.is_timestamp(column.type):
        return timestamp_text(column)  # ISO 8601, microseconds, UTC when zone-aware
    if pa.types.is_boolean(column.type):
        return pc.if_else(column, "true", "false")
    return column.cast(pa.string())


def raw_schema(f: CheckedFile) -> pa.Schema:
    """The raw table's columns: the contract's in contract order, extras, then lineage."""
    import pyarrow as pa

    return pa.schema(
        [pa.field(c, pa.string()) for c in (*f.table.column_names, *f.extras)]
        + [
            pa.field("_source_file", pa.string()),
            pa.field("_source_row", pa.int64()),
            pa.field("_batch_id", pa.string()),
            pa.field("_loaded_at", pa.timestamp("us")),
        ]
    )


def raw_batches(
    f: CheckedFile, landing: Path, digest: str, loaded_at: datetime
) -> pa.RecordBatchReader:
    """Stream the file as raw-table batches: contract columns (an optional one missing is
    all-null), extra columns, and lineage (file, 1-based data row, batch id, load time)."""
    import pyarrow as pa

    schema = raw_schema(f)
    rel = str(f.path.relative_to(landing))

    def batches() -> Iterator[pa.RecordBatch]:
        offset = 0
        for batch in _file_batches(f):
            n = batch.num_rows
            present = set(batch.schema.names)
            columns = [
                batch.column(c) if c in present else pa.nulls(n, pa.string())
                for c in (*f.table.column_names, *f.extras)
            ]
            columns += [
                pa.array([rel] * n, pa.string()),
                pa.array(range(offset + 1, offset + n + 1), pa.int64()),
                pa.array([digest] * n, pa.string()),
                pa.array([loaded_at] * n, pa.timestamp("us")),
            ]
            offset += n
            yield pa.RecordBatch.from_arrays(columns, schema=schema)

    return pa.RecordBatchReader.from_batches(schema, batches())


def check_row_count(f: CheckedFile, rows: int) -> None:
    """Both readers (the strict walk and the fast one) must agree, or a row went missing."""
    if f.rows is not None and rows != f.rows:
        raise LandingError(
            f"{f.path}: read {rows} rows where the file holds {f.rows}; check the file's quoting"
        )


def load_time() -> datetime:
    """The ``_loaded_at`` of a load: now, UTC, whole seconds, without time zone."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def read_checked_file(
    t: Table,
    path: Path,
    landing: Path,
    digest: str,
    loaded_at: datetime,
    csv_format: CsvFormat | None = None,
) -> tuple[LoadedFile, pa.Table]:
    """Read one checked landing file whole as the raw table: all-text columns plus lineage."""
    f = check_file(t, path, csv_format)
    data = raw_batches(f, landing, digest, loaded_at).read_all()
    check_row_count(f, data.num_rows)
    return LoadedFile(t, path, digest, data.num_rows, f.extras, delivered=data.num_rows), data


def read_landing(
    landing: str | Path,
    *,
    csv_format: CsvFormat | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[list[tuple[LoadedFile, pa.Table]], list[str]]:
    """Read and check every file of ``landing`` without writing anywhere.

    Returns the raw tables (as the DuckDB load writes them: contract columns, extra columns,
    lineage) with their files, and the warnings. Raises ``LandingError`` on the first bad
    file, so the PostgreSQL and Spark loaders check exactly as the DuckDB one does.
    ``csv_format`` (default: from CXW_CSV_DELIMITER / CXW_CSV_ENCODING) says how CSV files
    are written.
    """
    landing = Path(landing)
    say = progress or (lambda _msg: None)
    fmt = csv_format or CsvFormat.from_env()
    files, warnings = find_files(landing)
    loaded_at = load_time()
    tables: list[tuple[LoadedFile, pa.Table]] = []
    for t, path in files.items():
        loaded, data = read_checked_file(t, path, landing, file_digest(path), loaded_at, fmt)
        tables.append((loaded, data))
        say(f"{t.qualified}: read {data.num_rows:,} rows from {path.relative_to(landing)}")
    return tables, warnings

"""The DuckDB loader: a landing folder into the raw schemas of the working database.

Every file is checked first (``ingest.files``); the rows are then streamed into DuckDB in
batches (``ingest.readers``), all tables in one transaction, so a bad folder loads nothing
partially and memory stays flat whatever the size of the files.

By default each file is a full export of its table (``mode="full"``): the load replaces the
raw table, so loading the same folder twice gives the same raw tables, a later export's
version of a key wins, rows no longer delivered leave, and nothing is duplicated. With
``mode="delta"`` each file holds only new and changed rows: a delivered key replaces every
row of that key in the raw table and every other row stays (a delta cannot delete a key:
send a full export for that). Either way a file whose digest is unchanged since the last load
is not read again.
What was delivered when is kept apart: `raw_history.<system>__<table>` holds every delivered
row of every changed file (append-only, with `_batch_id` and `_loaded_at`) and
`raw_meta.deliveries` one row per delivered file. Each changed file is written once, into its
batch table; the raw relation and the history are views on those tables
(``ingest.duckdb_history``).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from ingest.contract import OPTIONAL_TABLES, SYSTEMS, Table
from ingest.csv_fast import FileScan, bytes_add_up, raw_select, scan_file
from ingest.csv_format import CsvFormat
from ingest.duckdb_history import (
    HISTORY_SCHEMA,
    drop_raw,
    lit,
    merge_delta,
    migrate_history,
    new_batch_table,
    point_raw_at,
    raw_kind,
    record_delivery,
    refresh_history_view,
)
from ingest.files import (
    LANDED_TABLES,
    CheckedFile,
    LandingError,
    check_csv_header,
    check_file,
    file_digest,
    find_files,
)
from ingest.readers import (
    META_SCHEMA,
    LoadedFile,
    LoadResult,
    check_row_count,
    load_time,
    raw_batches,
)
from ingest.timestamps import create_timestamp_rule
from ingest.vendor_tables import load_vendor_tables, vendor_folders
from lib.settings import duckdb_memory_limit

DELIVERY_MODES = ("full", "delta")


def _loaded_tables(database: Path) -> list[Table]:
    """The contract and optional tables already loaded into `database` (none if it does not
    exist yet)."""
    if not database.exists():
        return []
    try:
        con = duckdb.connect(str(database), read_only=True)
    except duckdb.Error:
        return []  # load_landing's own connect says what is wrong
    try:
        return [t for t in LANDED_TABLES if _table_exists(con, t)]
    finally:
        con.close()


def _table_exists(con: duckdb.DuckDBPyConnection, t: Table) -> bool:
    """Whether ``t`` has a raw relation (a table, or a view on its latest batch)."""
    return raw_kind(con, t) is not None


def _drop_undelivered_optional(
    con: duckdb.DuckDBPyConnection, delivered: set[Table], say: Callable[[str], None]
) -> None:
    """A full delivery without an optional table's file says the table is not there: its raw
    table (from an earlier load) leaves, so that dbt reads it as absent (macro
    optional_source). Its history (batch tables and view) stays."""
    for t in OPTIONAL_TABLES:
        if t not in delivered and _table_exists(con, t):
            drop_raw(con, t)
            con.execute(f"delete from {META_SCHEMA}.loads where table_name = {lit(t.qualified)}")
            say(f"{t.qualified}: not in this delivery, raw table dropped (optional table)")


class _FastReadFailed(Exception):
    """DuckDB refused a file on the fast path (ingest.csv_fast): the transaction is aborted;
    the strict walk names the fault, or the file is loaded the strict way."""

    def __init__(self, checked: CheckedFile) -> None:
        super().__init__(str(checked.path))
        self.checked = checked


def _fast(path: Path, fmt: CsvFormat, strict: set[Path]) -> bool:
    """Whether DuckDB reads the file (ingest.csv_fast): UTF-8 CSV not already refused by it."""
    return path.suffix == ".csv" and fmt.is_utf8 and path not in strict


def _check_all(
    con: duckdb.DuckDBPyConnection,
    files: dict[Table, Path],
    landing: Path,
    fmt: CsvFormat,
    say: Callable[[str], None],
    strict: set[Path],
) -> list[tuple[LoadedFile, CheckedFile | None, FileScan | None]]:
    """Check every file before anything is written: header and columns, and for a file not
    read by DuckDB a strict walk over every CSV row (a file DuckDB reads has its rows checked
    as they load). A file unchanged since the last load is not read again (its CheckedFile is
    None)."""
    previous = dict(con.execute(f"select table_name, batch_id from {META_SCHEMA}.loads").fetchall())
    staged: list[tuple[LoadedFile, CheckedFile | None, FileScan | None]] = []
    for t, path in files.items():
        fast = _fast(path, fmt, strict)
        scan = scan_file(path, fmt) if fast else None
        digest = scan.digest if scan else file_digest(path)
        if previous.get(t.qualified) == digest and _table_exists(con, t):
            rows = con.execute(f"select count(*) from {t.raw_schema}.{t.name}").fetchone()[0]
            extras = con.execute(
                f"select extra_columns from {META_SCHEMA}.loads "
                f"where table_name = {lit(t.qualified)}"
            ).fetchone()[0]
            skipped = LoadedFile(t, path, digest, rows, extras.split(",") if extras else [], True)
            staged.append((skipped, None, None))
            say(f"{t.qualified}: unchanged since the last load ({rows:,} rows)")
            continue
        try:
            checked = check_csv_header(t, path, fmt) if fast else check_file(t, path, fmt)
        except LandingError:
            # the strict order: a fault in the rows of an earlier file is named first
            for _loaded, earlier, earlier_scan in staged:
                if earlier is not None and earlier_scan is not None:
                    check_file(earlier.table, earlier.path, fmt)
            raise
        staged.append((LoadedFile(t, path, digest, 0, checked.extras), checked, scan))
        counted = f"{checked.rows:,} rows" if checked.rows is not None else "header"
        say(f"{t.qualified}: checked {path.relative_to(landing)} ({counted})")
    return staged


def _fill(
    con: duckdb.DuckDBPyConnection,
    target: str,
    loaded: LoadedFile,
    checked: CheckedFile,
    scan: FileScan | None,
    landing: Path,
    loaded_at,
) -> bool:
    """Create the table ``target`` holding the file's raw rows: read by DuckDB when ``scan``
    is given and its rows account for the file's bytes (ingest.csv_fast), else walked
    strictly and streamed in batches (then False)."""
    rel = str(checked.path.relative_to(landing))
    if scan is not None:
        select = raw_select(
            loaded.table,
            checked.names,
            checked.extras,
            checked.path,
            rel,
            loaded.digest,
            loaded_at,
            checked.csv_format,
        )
        try:
            con.execute(f"create table {target} as {select}")
        except duckdb.Error as exc:
            raise _FastReadFailed(checked) from exc
        if bytes_add_up(con, target, checked.names, scan, checked.csv_format):
            return True
        con.execute(f"drop table {target}")
        fresh = check_file(loaded.table, checked.path, checked.csv_format)
        checked.rows, checked.longest_row = fresh.rows, fresh.longest_row
    con.register("_landing_stream", raw_batches(checked, landing, loaded.digest, loaded_at))
    try:
        con.execute(f"create table {target} as select * from _landing_stream")
    except duckdb.Error as exc:
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, LandingError):
            raise cause from None
        raise LandingError(f"{checked.path}: could not be read: {exc}") from exc
    finally:
        con.unregister("_landing_stream")
    return False


def _write_table(
    con: duckdb.DuckDBPyConnection,
    loaded: LoadedFile,
    checked: CheckedFile,
    scan: FileScan | None,
    landing: Path,
    mode: str,
    loaded_at,
) -> None:
    """Write one checked file, once, into its batch table (ingest.duckdb_history); the raw
    relation becomes a view on it (a full export) or the merge of it into the raw table by
    key (a delta); the history view takes it in; raw_meta records it."""
    t = loaded.table
    batch = new_batch_table(con, t)
    loaded.read_by_duckdb = _fill(con, batch, loaded, checked, scan, landing, loaded_at)
    loaded.delivered = con.execute(f"select count(*) from {batch}").fetchone()[0]
    check_row_count(checked, loaded.delivered)
    if mode == "delta" and _table_exists(con, t):
        merge_delta(con, t, batch)
        loaded.merged = True
        loaded.rows = con.execute(f"select count(*) from {t.raw_schema}.{t.name}").fetchone()[0]
    else:
        point_raw_at(con, t, batch)
        loaded.rows = loaded.delivered
    refresh_history_view(con, t)
    record_delivery(con, t, loaded)
    values = (
        t.qualified,
        str(loaded.path),
        loaded.digest,
        loaded.rows,
        ",".join(loaded.extra_columns),
    )
    con.execute(
        f"insert or replace into {META_SCHEMA}.loads values "
        f"({', '.join(lit(v) for v in values)}, current_timestamp)"
    )


def _load_once(
    database: Path,
    landing: Path,
    files: dict[Table, Path],
    fmt: CsvFormat,
    mode: str,
    say: Callable[[str], None],
    strict: set[Path],
    result: LoadResult,
) -> None:
    """One all-or-nothing attempt of load_landing (raises _FastReadFailed, rolled back, when
    DuckDB refuses a file)."""
    try:
        con = duckdb.connect(str(database), config={"memory_limit": duckdb_memory_limit()})
    except duckdb.IOException as exc:
        raise LandingError(
            f"cannot open {database} for writing: {exc}. Close other programs that hold it open"
        ) from exc
    try:
        con.execute("set enable_progress_bar = false")  # the loader reports through `say`
        con.execute(f"create schema if not exists {META_SCHEMA}")
        con.execute(
            f"""create table if not exists {META_SCHEMA}.loads (
                table_name varchar primary key, source_file varchar, batch_id varchar,
                row_count bigint, extra_columns varchar, loaded_at timestamp)"""
        )
        loaded_at = load_time()
        # Check every header (and every file DuckDB does not read) first, then write every
        # table inside one transaction: a bad file (found by the checks or as DuckDB reads
        # it) must not leave a half-loaded warehouse. DuckDB streams, so memory stays flat
        # whatever the file size.
        staged = _check_all(con, files, landing, fmt, say, strict)
        con.execute("begin transaction")
        for system in SYSTEMS:
            con.execute(f"create schema if not exists raw_{system}")
        con.execute(f"create schema if not exists {HISTORY_SCHEMA}")
        for t in migrate_history(con):  # a warehouse loaded before batch tables
            say(f"{t.qualified}: history kept as batch tables from now on (migrated)")
        create_timestamp_rule(con)  # raw_meta.is_timestamp, for the raw suites
        for loaded, checked, scan in staged:
            if checked is not None:
                _write_table(con, loaded, checked, scan, landing, mode, loaded_at)
                how = "read by DuckDB" if loaded.read_by_duckdb else "streamed"
                say(f"{loaded.table.qualified}: loaded {loaded.delivered:,} rows ({how})")
            result.files.append(loaded)
        if mode == "full":
            _drop_undelivered_optional(con, set(files), say)
        # vendor folders (<landing>/zendesk/ ...): typed, into schema <vendor>
        result.vendor_files = load_vendor_tables(con, landing, vendor_folders(landing), say)
        con.execute("commit")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("rollback")
        raise
    finally:
        con.close()


def load_landing(
    landing: str | Path,
    database: str | Path,
    *,
    mode: str = "full",
    csv_format: CsvFormat | None = None,
    progress: Callable[[str], None] | None = None,
) -> LoadResult:
    """Check and load every table of ``landing`` into ``database``'s raw schemas, all or nothing.

    ``mode`` says what the files are: ``full`` exports (the default) replace the raw tables;
    ``delta`` files hold only new and changed rows, merged by key (see the module docstring).
    ``csv_format`` says how CSV files are written (default: from CXW_CSV_DELIMITER and
    CXW_CSV_ENCODING, else comma-separated UTF-8).
    """
    if mode not in DELIVERY_MODES:
        raise LandingError(
            f"unknown delivery mode {mode!r}: use 'full' (every file a full export) or "
            "'delta' (only new and changed rows)"
        )
    started = time.perf_counter()
    landing = Path(landing)
    database = Path(database)
    say = progress or (lambda _msg: None)
    fmt = csv_format or CsvFormat.from_env()
    optional = frozenset(_loaded_tables(database)) if mode == "delta" else frozenset()
    files, warnings = find_files(landing, optional=optional)
    result = LoadResult(target="duckdb", location=str(database), warnings=warnings)
    for t in sorted(optional - set(files), key=lambda t: t.qualified):
        say(f"{t.qualified}: not in this delta delivery, kept as loaded")

    database.parent.mkdir(parents=True, exist_ok=True)
    strict: set[Path] = set()  # files DuckDB refused that the strict walk accepts
    while True:
        try:
            _load_once(database, landing, files, fmt, mode, say, strict, result)
            break
        except _FastReadFailed as failed:  # rolled back: nothing was written
            f = failed.checked
            check_file(f.table, f.path, fmt)  # the strict walk names the fault, if any
            strict.add(f.path)
            result.files.clear()
            say(f"{f.table.qualified}: read row by row (DuckDB's reader refused the file)")
    result.seconds = time.perf_counter() - started
    return result

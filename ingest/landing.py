"""Load a landing folder into the raw schemas of the warehouse.

A landing folder holds one file per contract table, ``<landing>/<system>/<table>.csv`` or
``.parquet``. Every file is checked *before* anything is written (header, columns and, for
CSV, a strict RFC 4180 walk over every row); the rows are then streamed into DuckDB in
batches, all tables in one transaction, so a bad folder loads nothing partially and memory
stays flat whatever the size of the files.

Raw tables keep every value as text (the contract columns, then any extra columns), plus
lineage columns: ``_source_file``, ``_source_row`` (1-based data row), ``_batch_id``
(a digest of the file) and ``_loaded_at`` (UTC). Typing, validation and quarantine happen in
dbt staging, which is what lets a row with an unparseable timestamp be quarantined instead
of failing the load.
By default each file is a full export of its table (``mode="full"``): the load replaces the
raw table, so loading the same folder twice gives the same raw tables, a later export's
version of a key wins, rows no longer delivered leave, and nothing is duplicated. With
``mode="delta"`` each file holds only new and changed rows: a delivered key replaces every
row of that key in the raw table and every other row stays (a delta cannot delete a key:
send a full export for that). Either way a file whose digest is unchanged since the last load
is not read again.
What was delivered when is kept apart: `raw_history.<system>__<table>` holds every delivered
row of every changed file (append-only, with `_batch_id` and `_loaded_at`) and
`raw_meta.deliveries` one row per delivered file.
``read_landing`` reads and checks a folder without writing: ``ingest.engines`` loads
its tables into PostgreSQL or Spark.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ingest.contract import FILE_FORMATS, SYSTEMS, TABLES, Table
from lib.settings import duckdb_memory_limit

LINEAGE_COLUMNS = ("_source_file", "_source_row", "_batch_id", "_loaded_at")
META_SCHEMA = "raw_meta"
DELIVERY_MODES = ("full", "delta")


class LandingError(Exception):
    """A landing folder or file that cannot be loaded; the message says which and what to do."""


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


@dataclass
class LoadResult:
    database: Path
    files: list[LoadedFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rows(self) -> dict[str, int]:
        return {f.table.qualified: f.rows for f in self.files}


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:16]


def find_files(
    landing: Path, *, optional: frozenset[Table] = frozenset()
) -> tuple[dict[Table, Path], list[str]]:
    """Map every contract table to its file; raise naming every problem found. A table in
    `optional` may have no file (a delta delivery leaves out tables without changes)."""
    if not landing.exists():
        raise LandingError(
            f"landing folder {landing} does not exist: point --landing at a folder holding "
            f"<system>/<table>.csv or .parquet files (or run `cxw generate` for demo data)"
        )
    if not landing.is_dir():
        raise LandingError(f"landing path {landing} is a file, not a folder")
    problems: list[str] = []
    warnings: list[str] = []
    found: dict[Table, Path] = {}
    known = {(t.system, t.name) for t in TABLES}
    for t in TABLES:
        candidates = [landing / t.system / f"{t.name}.{ext}" for ext in FILE_FORMATS]
        present = [p for p in candidates if p.is_file()]
        if len(present) > 1:
            problems.append(
                f"{t.qualified}: both {present[0]} and {present[1]} exist; keep exactly one"
            )
        elif present:
            found[t] = present[0]
        else:
            others = sorted((landing / t.system).glob(f"{t.name}.*"))
            if others:
                problems.append(
                    f"{t.qualified}: {others[0]} has an unsupported extension; "
                    f"expected {t.system}/{t.name}.csv or .parquet"
                )
            elif t in optional:
                continue
            else:
                problems.append(
                    f"{t.qualified}: missing file {landing / t.system / t.name}.csv (or .parquet)"
                )
    for system in SYSTEMS:
        folder = landing / system
        if not folder.is_dir():
            continue
        for p in sorted(folder.iterdir()):
            if p.name.startswith("."):
                continue
            if (system, p.name.split(".", 1)[0]) not in known:
                warnings.append(f"{p}: not a contract table, ignored")
    if not found and not problems:
        raise LandingError(f"landing folder {landing} holds no contract file: nothing to load")
    if problems:
        raise LandingError(
            "landing folder "
            + str(landing)
            + " cannot be loaded; nothing was loaded:\n  - "
            + "\n  - ".join(problems)
        )
    return found, warnings


def _first_bad_utf8_line(path: Path) -> int | None:
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return None


def _read_header(path: Path) -> list[str]:
    with path.open("rb") as fh:
        first = fh.readline()
    if not first.strip():
        raise LandingError(f"{path}: empty file or empty header row; a header row is required")
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LandingError(
            f"{path}: line 1 is not valid UTF-8; re-export the file as UTF-8"
        ) from exc
    try:
        return next(csv.reader([text.rstrip("\r\n")], strict=True))
    except csv.Error as exc:
        raise LandingError(f"{path}: line 1 (the header) is not well-formed CSV: {exc}") from exc


def _check_columns(t: Table, path: Path, names: list[str]) -> list[str]:
    stripped = [n.strip() for n in names]
    dupes = sorted({n for n in stripped if stripped.count(n) > 1})
    if dupes:
        raise LandingError(f"{path}: duplicate column(s) in the header: {', '.join(dupes)}")
    blank = [i + 1 for i, n in enumerate(stripped) if not n]
    if blank:
        raise LandingError(f"{path}: header column(s) {blank} have no name")
    missing = [c for c in t.required_columns if c not in stripped]
    if missing:
        raise LandingError(
            f"{path}: missing required column(s) {', '.join(missing)} "
            f"(header has: {', '.join(stripped)}); see RAW_CONTRACT.md for {t.qualified}"
        )
    clash = [c for c in stripped if c in LINEAGE_COLUMNS]
    if clash:
        raise LandingError(f"{path}: column name(s) {clash} are reserved for lineage")
    return [n for n in stripped if n not in t.column_names]


def _check_csv_structure(path: Path, columns: int) -> int:
    """Walk the file with a strict RFC 4180 reader; return its data rows.

    pyarrow's fast reader is lenient: an unterminated quote swallows the rest of the file into
    one value, and a stray quote inside a field is dropped. Either would lose rows silently,
    so every CSV is first walked strictly (about half a second per million rows), and a
    structural error names its line."""

    rows = 0
    with path.open(newline="", encoding="utf-8-sig", errors="strict") as fh:
        reader = csv.reader(fh, strict=True)
        try:
            next(reader, None)  # the header, checked already
            for record in reader:
                if not record:
                    continue  # blank lines hold no row (the fast reader skips them too)
                rows += 1
                if len(record) != columns:
                    raise LandingError(
                        f"{path}: line {reader.line_num} has {len(record)} fields where the "
                        f"header has {columns}; fix the quoting or the separators of that line"
                    )
        except csv.Error as exc:
            raise LandingError(
                f"{path}: line {reader.line_num} is not well-formed CSV ({exc}); "
                "check its quotes: a quote inside a value must be doubled"
            ) from exc
        except UnicodeDecodeError as exc:
            line = _first_bad_utf8_line(path)
            raise LandingError(
                f"{path}: line {line} is not valid UTF-8; re-export the file as UTF-8"
            ) from exc
    return rows


@dataclass
class CheckedFile:
    """A landing file that passed the checks that need no memory: header, columns and (CSV)
    a strict walk over every row. Its rows are then streamed in batches."""

    table: Table
    path: Path
    names: list[str]  # the file's column names, stripped, in file order
    extras: list[str]
    rows: int | None  # data rows counted by the strict walk (CSV); None for Parquet


def check_file(t: Table, path: Path) -> CheckedFile:
    """Check one landing file without reading it into memory; raise naming what is wrong."""
    if path.suffix == ".csv":
        names = _read_header(path)
        extras = _check_columns(t, path, names)
        rows = _check_csv_structure(path, len(names))
        return CheckedFile(t, path, [n.strip() for n in names], extras, rows)
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise LandingError(f"{path}: not a readable Parquet file: {exc}") from exc
    extras = _check_columns(t, path, list(schema.names))
    return CheckedFile(t, path, [n.strip() for n in schema.names], extras, None)


def _file_batches(f: CheckedFile, batch_bytes: int = 1 << 24) -> Iterator[pa.RecordBatch]:
    """The file's rows in batches, every column as text, as delivered."""
    path = f.path
    if path.suffix == ".csv":
        try:
            reader = pacsv.open_csv(
                path,
                read_options=pacsv.ReadOptions(
                    column_names=f.names, skip_rows=1, block_size=batch_bytes
                ),
                parse_options=pacsv.ParseOptions(newlines_in_values=True),
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
                line = _first_bad_utf8_line(path)
                where = f"line {line}" if line else "somewhere"
                raise LandingError(
                    f"{path}: {where} is not valid UTF-8; re-export the file as UTF-8"
                ) from exc
            raise LandingError(f"{path}: not a well-formed CSV file: {msg}") from exc
    else:
        try:
            parquet = pq.ParquetFile(path)
            for batch in parquet.iter_batches(batch_size=100_000):
                yield pa.RecordBatch.from_arrays(
                    [_as_text(batch.column(i)) for i in range(batch.num_columns)], names=f.names
                )
        except (pa.ArrowInvalid, OSError) as exc:
            raise LandingError(f"{path}: not a readable Parquet file: {exc}") from exc


def raw_schema(f: CheckedFile) -> pa.Schema:
    """The raw table's columns: the contract's in contract order, extras, then lineage."""
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


def _check_row_count(f: CheckedFile, rows: int) -> None:
    if f.rows is not None and rows != f.rows:  # both readers must agree, or a row went missing
        raise LandingError(
            f"{f.path}: read {rows} rows where the file holds {f.rows}; check the file's quoting"
        )


def _as_text(column):
    if pa.types.is_string(column.type):
        return column
    if pa.types.is_large_string(column.type):
        return column.cast(pa.string())
    if pa.types.is_timestamp(column.type):
        # ISO 8601; a zone-aware timestamp keeps its UTC offset.
        import pyarrow.compute as pc

        fmt = "%Y-%m-%dT%H:%M:%S%z" if column.type.tz else "%Y-%m-%dT%H:%M:%S"
        return pc.strftime(column, format=fmt)
    if pa.types.is_boolean(column.type):
        import pyarrow.compute as pc

        return pc.if_else(column, "true", "false")
    return column.cast(pa.string())


def read_checked_file(
    t: Table, path: Path, landing: Path, digest: str, loaded_at: datetime
) -> tuple[LoadedFile, pa.Table]:
    """Read one checked landing file whole as the raw table: all-text columns plus lineage."""
    f = check_file(t, path)
    data = raw_batches(f, landing, digest, loaded_at).read_all()
    _check_row_count(f, data.num_rows)
    return LoadedFile(t, path, digest, data.num_rows, f.extras, delivered=data.num_rows), data


def read_landing(
    landing: str | Path,
    *,
    progress: Callable[[str], None] | None = None,
) -> tuple[list[tuple[LoadedFile, pa.Table]], list[str]]:
    """Read and check every file of ``landing`` without writing anywhere.

    Returns the raw tables (as the DuckDB load writes them: contract columns, extra columns,
    lineage) with their files, and the warnings. Raises ``LandingError`` on the first bad
    file, so loaders for other engines check exactly as ``load_landing`` does.
    """
    landing = Path(landing)
    say = progress or (lambda _msg: None)
    files, warnings = find_files(landing)
    loaded_at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    tables: list[tuple[LoadedFile, pa.Table]] = []
    for t, path in files.items():
        loaded, data = read_checked_file(t, path, landing, _digest(path), loaded_at)
        tables.append((loaded, data))
        say(f"{t.qualified}: read {data.num_rows:,} rows from {path.relative_to(landing)}")
    return tables, warnings


HISTORY_SCHEMA = "raw_history"


def _append_history(
    con: duckdb.DuckDBPyConnection, t: Table, loaded: LoadedFile, delivered: str
) -> None:
    """Keep what was delivered when: every delivered row of every changed file, append-only.

    The raw table itself holds the latest delivery (each file is a full export of its table,
    so the latest version of every key wins and nothing is duplicated); `raw_history` keeps
    the contract columns of every delivery with its batch id and load time, and
    `raw_meta.deliveries` one row per delivered file. `delivered` is a relation holding the
    delivered rows (and possibly others: only this batch's are taken)."""
    columns = ", ".join(f'"{c}"' for c in (*t.column_names, *LINEAGE_COLUMNS))
    history = f"{HISTORY_SCHEMA}.{t.system}__{t.name}"
    con.execute(f"create schema if not exists {HISTORY_SCHEMA}")
    con.execute(
        f"create table if not exists {history} as select {columns} from {delivered} limit 0"
    )
    con.execute(
        f"insert into {history} select {columns} from {delivered} where _batch_id = ?",
        [loaded.digest],
    )
    con.execute(
        f"""create table if not exists {META_SCHEMA}.deliveries (
            table_name varchar, source_file varchar, batch_id varchar, row_count bigint,
            extra_columns varchar, loaded_at timestamp)"""
    )
    con.execute(
        f"insert into {META_SCHEMA}.deliveries values (?, ?, ?, ?, ?, current_timestamp)",
        [
            t.qualified,
            str(loaded.path),
            loaded.digest,
            loaded.delivered,
            ",".join(loaded.extra_columns),
        ],
    )


def _merge_delta(con: duckdb.DuckDBPyConnection, t: Table) -> None:
    """Replace the rows of every delivered key (matched as staging matches keys: trimmed,
    blank is missing) and keep every other row; rows without a key are kept as delivered."""
    raw = f"{t.raw_schema}.{t.name}"
    same_key = " and ".join(
        f"nullif(trim(old.\"{k}\"), '') = nullif(trim(new.\"{k}\"), '')" for k in t.key
    )
    con.execute(
        f"create or replace table {raw} as "
        f"select * from {raw} as old "
        f"where not exists (select 1 from _landing_batch as new where {same_key}) "
        f"union all by name select * from _landing_batch"
    )


def _loaded_tables(database: Path) -> list[Table]:
    """The contract tables already loaded into `database` (none if it does not exist yet)."""
    if not database.exists():
        return []
    try:
        con = duckdb.connect(str(database), read_only=True)
    except duckdb.Error:
        return []  # load_landing's own connect says what is wrong
    try:
        return [t for t in TABLES if _table_exists(con, t)]
    finally:
        con.close()


def _table_exists(con: duckdb.DuckDBPyConnection, t: Table) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = ? and table_name = ?",
            [t.raw_schema, t.name],
        ).fetchone()[0]
    )


def load_landing(
    landing: str | Path,
    database: str | Path,
    *,
    mode: str = "full",
    progress: Callable[[str], None] | None = None,
) -> LoadResult:
    """Check and load every table of ``landing`` into ``database``'s raw schemas, all or nothing.

    ``mode`` says what the files are: ``full`` exports (the default) replace the raw tables;
    ``delta`` files hold only new and changed rows, merged by key (see the module docstring).
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
    optional = frozenset(_loaded_tables(database)) if mode == "delta" else frozenset()
    files, warnings = find_files(landing, optional=optional)
    result = LoadResult(database=database, warnings=warnings)
    for t in sorted(optional - set(files), key=lambda t: t.qualified):
        say(f"{t.qualified}: not in this delta delivery, kept as loaded")

    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(database), config={"memory_limit": duckdb_memory_limit()})
    except duckdb.IOException as exc:
        raise LandingError(
            f"cannot open {database} for writing: {exc}. Close other programs that hold it open"
        ) from exc
    try:
        con.execute(f"create schema if not exists {META_SCHEMA}")
        con.execute(
            f"""create table if not exists {META_SCHEMA}.loads (
                table_name varchar primary key, source_file varchar, batch_id varchar,
                row_count bigint, extra_columns varchar, loaded_at timestamp)"""
        )
        previous = dict(
            con.execute(f"select table_name, batch_id from {META_SCHEMA}.loads").fetchall()
        )

        loaded_at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        # Check everything first (header, columns, a strict walk over every CSV row): a bad
        # file must not leave a half-loaded warehouse. Rows are then streamed into DuckDB in
        # batches inside one transaction, so memory stays flat whatever the file size.
        staged: list[tuple[LoadedFile, CheckedFile | None]] = []
        for t, path in files.items():
            digest = _digest(path)
            exists = _table_exists(con, t)
            if previous.get(t.qualified) == digest and exists:
                rows = con.execute(f"select count(*) from {t.raw_schema}.{t.name}").fetchone()[0]
                extras = con.execute(
                    f"select extra_columns from {META_SCHEMA}.loads where table_name = ?",
                    [t.qualified],
                ).fetchone()[0]
                staged.append(
                    (
                        LoadedFile(
                            t, path, digest, rows, extras.split(",") if extras else [], True
                        ),
                        None,
                    )
                )
                say(f"{t.qualified}: unchanged since the last load ({rows:,} rows)")
                continue
            checked = check_file(t, path)
            staged.append((LoadedFile(t, path, digest, 0, checked.extras), checked))
            counted = f"{checked.rows:,} rows" if checked.rows is not None else "schema"
            say(f"{t.qualified}: checked {path.relative_to(landing)} ({counted})")

        con.execute("begin transaction")
        for system in SYSTEMS:
            con.execute(f"create schema if not exists raw_{system}")
        for loaded, checked in staged:
            if checked is not None:
                t = loaded.table
                raw = f"{t.raw_schema}.{t.name}"
                merge = mode == "delta" and _table_exists(con, t)
                con.register(
                    "_landing_stream", raw_batches(checked, landing, loaded.digest, loaded_at)
                )
                try:
                    if merge:
                        con.execute(
                            "create or replace temp table _landing_batch as "
                            "select * from _landing_stream"
                        )
                    else:
                        con.execute(
                            f"create or replace table {raw} as select * from _landing_stream"
                        )
                except duckdb.Error as exc:
                    cause = exc.__cause__ or exc.__context__
                    if isinstance(cause, LandingError):
                        raise cause from None
                    raise LandingError(f"{checked.path}: could not be read: {exc}") from exc
                finally:
                    con.unregister("_landing_stream")
                delivered = "_landing_batch" if merge else raw
                loaded.delivered = con.execute(
                    f"select count(*) from {delivered} where _batch_id = ?", [loaded.digest]
                ).fetchone()[0]
                _check_row_count(checked, loaded.delivered)
                if merge:
                    _merge_delta(con, t)
                    loaded.merged = True
                _append_history(con, t, loaded, delivered)
                if merge:
                    con.execute("drop table _landing_batch")
                loaded.rows = con.execute(f"select count(*) from {raw}").fetchone()[0]
                say(f"{t.qualified}: loaded {loaded.delivered:,} rows")
                con.execute(
                    f"insert or replace into {META_SCHEMA}.loads values "
                    "(?, ?, ?, ?, ?, current_timestamp)",
                    [
                        t.qualified,
                        str(loaded.path),
                        loaded.digest,
                        loaded.rows,
                        ",".join(loaded.extra_columns),
                    ],
                )
            result.files.append(loaded)
        con.execute("commit")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("rollback")
        raise
    finally:
        con.close()
    result.seconds = time.perf_counter() - started
    return result

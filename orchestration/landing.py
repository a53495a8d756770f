"""Load a landing folder into the raw schemas of the warehouse.

A landing folder holds one file per contract table, ``<landing>/<system>/<table>.csv`` or
``.parquet``. Every file is read and checked *before* anything is written; the load then
replaces the raw tables in one transaction, so a bad folder loads nothing partially.

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
``read_landing`` reads and checks a folder without writing: ``orchestration.engines`` loads
its tables into PostgreSQL or Spark.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from orchestration.contract import FILE_FORMATS, SYSTEMS, TABLES, Table

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


def read_file(t: Table, path: Path) -> tuple[pa.Table, list[str]]:
    """Read one landing file as all-text columns; return it and its extra column names."""
    if path.suffix == ".csv":
        names = _read_header(path)
        extras = _check_columns(t, path, names)
        expected_rows = _check_csv_structure(path, len(names))
        try:
            data = pacsv.read_csv(
                path,
                read_options=pacsv.ReadOptions(
                    column_names=[n.strip() for n in names], skip_rows=1, block_size=1 << 24
                ),
                parse_options=pacsv.ParseOptions(newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types={n.strip(): pa.string() for n in names},
                    null_values=[""],  # only an empty field is NULL: "NA" is Namibia
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )
        except pa.ArrowInvalid as exc:
            msg = str(exc)
            if "UTF8" in msg or "utf8" in msg.lower():
                line = _first_bad_utf8_line(path)
                where = f"line {line}" if line else "somewhere"
                raise LandingError(
                    f"{path}: {where} is not valid UTF-8; re-export the file as UTF-8"
                ) from exc
            raise LandingError(f"{path}: not a well-formed CSV file: {msg}") from exc
        if data.num_rows != expected_rows:  # both readers must agree, or a row went missing
            raise LandingError(
                f"{path}: read {data.num_rows} rows where the file holds {expected_rows}; "
                "check the file's quoting"
            )
    else:
        try:
            data = pq.read_table(path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise LandingError(f"{path}: not a readable Parquet file: {exc}") from exc
        extras = _check_columns(t, path, list(data.column_names))
        data = data.rename_columns([n.strip() for n in data.column_names])
        data = pa.table({n: _as_text(data.column(n)) for n in data.column_names})
    # Contract columns first, in contract order; optional ones missing become all-null.
    columns = {}
    for c in t.column_names:
        columns[c] = (
            data.column(c) if c in data.column_names else pa.nulls(data.num_rows, pa.string())
        )
    for e in extras:
        columns[e] = data.column(e)
    return pa.table(columns), extras


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
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
    """Read one checked landing file as the raw table: all-text columns plus lineage."""
    data, extras = read_file(t, path)
    rel = str(path.relative_to(landing))
    data = data.append_column("_source_file", pa.array([rel] * data.num_rows, pa.string()))
    data = data.append_column("_source_row", pa.array(range(1, data.num_rows + 1), pa.int64()))
    data = data.append_column("_batch_id", pa.array([digest] * data.num_rows, pa.string()))
    data = data.append_column(
        "_loaded_at", pa.array([loaded_at] * data.num_rows, pa.timestamp("us"))
    )
    return LoadedFile(t, path, digest, data.num_rows, extras, delivered=data.num_rows), data


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


def _append_history(con: duckdb.DuckDBPyConnection, t: Table, loaded: LoadedFile) -> None:
    """Keep what was delivered when: every delivered row of every changed file, append-only.

    The raw table itself holds the latest delivery (each file is a full export of its table,
    so the latest version of every key wins and nothing is duplicated); `raw_history` keeps
    the contract columns of every delivery with its batch id and load time, and
    `raw_meta.deliveries` one row per delivered file."""
    columns = ", ".join(f'"{c}"' for c in (*t.column_names, *LINEAGE_COLUMNS))
    history = f"{HISTORY_SCHEMA}.{t.system}__{t.name}"
    con.execute(f"create schema if not exists {HISTORY_SCHEMA}")
    con.execute(
        f"create table if not exists {history} as select {columns} from _landing_batch limit 0"
    )
    con.execute(f"insert into {history} select {columns} from _landing_batch")
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
        con = duckdb.connect(str(database))
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
        # Read and check everything first: a bad file must not leave a half-loaded warehouse.
        staged: list[tuple[LoadedFile, pa.Table | None]] = []
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
            loaded, data = read_checked_file(t, path, landing, digest, loaded_at)
            staged.append((loaded, data))
            say(f"{t.qualified}: read {data.num_rows:,} rows from {path.relative_to(landing)}")

        con.execute("begin transaction")
        for system in SYSTEMS:
            con.execute(f"create schema if not exists raw_{system}")
        for loaded, data in staged:
            if data is not None:
                t = loaded.table
                con.register("_landing_batch", data)
                if mode == "delta" and _table_exists(con, t):
                    _merge_delta(con, t)
                    loaded.merged = True
                    loaded.rows = con.execute(
                        f"select count(*) from {t.raw_schema}.{t.name}"
                    ).fetchone()[0]
                else:
                    con.execute(
                        f"create or replace table {t.raw_schema}.{t.name} as "
                        f"select * from _landing_batch"
                    )
                _append_history(con, t, loaded)
                con.unregister("_landing_batch")
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

"""File checks: find a landing folder's files and check each before anything is read or written.

A landing folder holds one file per contract table, ``<landing>/<system>/<table>.csv`` or
``.parquet``. Every file is checked *before* a row is loaded: its header and columns against
the contract and, for CSV, a strict RFC 4180 walk over every row (field counts, quotes,
encoding), so that a bad folder loads nothing partially. Every problem is a ``LandingError``
(``ingest.errors``) whose message names the file (and line) and says what to do.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.contract import (
    FILE_FORMATS,
    OPTIONAL_COLUMNS,
    OPTIONAL_TABLES,
    SYSTEMS,
    TABLES,
    Table,
)
from ingest.csv_format import (
    CsvFormat,
    first_undecodable_line,
    other_delimiter,
    undecodable_message,
    wrong_delimiter_message,
)
from ingest.errors import LandingError
from ingest.vendor_tables import SYSTEM_OF, vendor_folders

# Lineage columns the loaders add to every raw table; a landing file may not use these names.
LINEAGE_COLUMNS = ("_source_file", "_source_row", "_batch_id", "_loaded_at")

# Every table a landing folder may hold: the contract tables (each required in a full
# delivery), then the optional ones (ingest/contract.py OPTIONAL_TABLES), landed when present.
LANDED_TABLES: tuple[Table, ...] = (*TABLES, *OPTIONAL_TABLES)


def optional_column_names(t: Table) -> list[str]:
    """The columns of `t` a file may leave out that dbt reads by name: the optional columns
    of a contract table (OPTIONAL_COLUMNS) and the non-required columns of an optional table."""
    names = [c.name for c in OPTIONAL_COLUMNS.get(t.qualified, ())]
    if t in OPTIONAL_TABLES:
        names += [c.name for c in t.columns if not c.required]
    return names


def _doc(t: Table) -> str:
    return "docs/support_operations.md" if t in OPTIONAL_TABLES else "docs/contract.md"


def _misspelt_optional(t: Table, path: Path, extras: list[str]) -> None:
    """An extra column that is nearly an optional column's name (`asignee_id`, `Group_ID`)
    would land under that name and the optional column would read as empty: say so."""
    wanted = optional_column_names(t)
    for extra in extras:
        lower = extra.lower()
        close = [w for w in wanted if w == lower] or difflib.get_close_matches(
            lower, wanted, n=1, cutoff=0.85
        )
        if close:
            raise LandingError(
                f"{path}: column {extra!r} looks like a misspelling of the optional column "
                f"{close[0]!r} of {t.qualified}; rename it to {close[0]} "
                "(see docs/support_operations.md)"
            )


def file_digest(path: Path) -> str:
    """The file's batch id: the first 16 hex digits of its SHA-256."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:16]


def check_folder(landing: Path) -> None:
    """Raise unless ``landing`` is an existing folder."""
    if not landing.exists():
        raise LandingError(
            f"landing folder {landing} does not exist: point --landing at a folder holding "
            f"<system>/<table>.csv or .parquet files (or run `cxw generate` for demo data)"
        )
    if not landing.is_dir():
        raise LandingError(f"landing path {landing} is a file, not a folder")


def find_files(
    landing: Path, *, optional: frozenset[Table] = frozenset()
) -> tuple[dict[Table, Path], list[str]]:
    """Map every contract table to its file; raise naming every problem found. A table in
    `optional` may have no file (a delta delivery leaves out tables without changes); nor may
    the tables of a system whose vendor folder is present (`<landing>/zendesk/`: read by the
    vendor's adapter, ingest.vendor_tables). The optional tables of the contract
    (OPTIONAL_TABLES, e.g. ticketing/schedules) are mapped when their file is present and
    may always be absent."""
    check_folder(landing)
    vendors = vendor_folders(landing)
    fed = {SYSTEM_OF[v] for v in vendors}
    optional = optional | frozenset(t for t in TABLES if t.system in fed)
    optional = optional | frozenset(OPTIONAL_TABLES)
    problems: list[str] = []
    warnings: list[str] = []
    found: dict[Table, Path] = {}
    known = {(t.system, t.name) for t in LANDED_TABLES}
    for t in LANDED_TABLES:
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
    if not found and not problems and not vendors:
        raise LandingError(f"landing folder {landing} holds no contract file: nothing to load")
    if problems:
        raise LandingError(
            "landing folder "
            + str(landing)
            + " cannot be loaded; nothing was loaded:\n  - "
            + "\n  - ".join(problems)
        )
    return found, warnings


def encoding_error(path: Path, fmt: CsvFormat) -> LandingError:
    """The error for a file with a line that does not decode: which line, and what to do."""
    bad = first_undecodable_line(path, fmt)
    line, raw = bad if bad else (None, b"")
    return LandingError(undecodable_message(path, line, raw, fmt))


def read_header(path: Path, fmt: CsvFormat) -> tuple[list[str], str]:
    """The header's column names and its text."""
    with path.open("rb") as fh:
        first = fh.readline()
    if not first.strip():
        raise LandingError(f"{path}: empty file or empty header row; a header row is required")
    try:
        text = first.decode(fmt.python_encoding).rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise LandingError(undecodable_message(path, 1, first, fmt)) from exc
    try:
        return next(csv.reader([text], delimiter=fmt.delimiter, strict=True)), text
    except csv.Error as exc:
        raise LandingError(f"{path}: line 1 (the header) is not well-formed CSV: {exc}") from exc


def check_columns(
    t: Table,
    path: Path,
    names: list[str],
    *,
    header: str | None = None,
    fmt: CsvFormat | None = None,
) -> list[str]:
    """Check a file's column names against the contract; return its extra columns. With the
    ``header`` text of a CSV file, a header that only works with another delimiter says so."""
    stripped = [n.strip() for n in names]
    missing = [c for c in t.required_columns if c not in stripped]
    if missing and header is not None:
        found = other_delimiter(header, t.required_columns, fmt or CsvFormat())
        if found:
            raise LandingError(wrong_delimiter_message(path, found, fmt or CsvFormat()))
    dupes = sorted({n for n in stripped if stripped.count(n) > 1})
    if dupes:
        raise LandingError(f"{path}: duplicate column(s) in the header: {', '.join(dupes)}")
    blank = [i + 1 for i, n in enumerate(stripped) if not n]
    if blank:
        raise LandingError(f"{path}: header column(s) {blank} have no name")
    if missing:
        raise LandingError(
            f"{path}: missing required column(s) {', '.join(missing)} "
            f"(header has: {', '.join(stripped)}); see {_doc(t)} for {t.qualified}"
        )
    clash = [c for c in stripped if c in LINEAGE_COLUMNS]
    if clash:
        raise LandingError(f"{path}: column name(s) {clash} are reserved for lineage")
    extras = [n for n in stripped if n not in t.column_names]
    _misspelt_optional(t, path, [n for n in extras if n not in optional_column_names(t)])
    return extras


class _FieldTooLarge(Exception):
    """A field over the csv module's limit: walk again with a limit of the file's size."""


@contextlib.contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    previous = csv.field_size_limit()
    csv.field_size_limit(max(limit, previous))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _walk_csv(path: Path, columns: int, fmt: CsvFormat, *, measure: bool) -> tuple[int, int]:
    """One strict pass over the file: its data rows and, when ``measure``, a bound on the
    bytes of its longest row (0 otherwise)."""
    rows = longest = 0
    start = 1  # the line the current record starts on (a quoted value may span lines)
    with path.open(newline="", encoding=fmt.python_encoding, errors="strict") as fh:
        reader = csv.reader(fh, delimiter=fmt.delimiter, strict=True)
        try:
            next(reader, None)  # the header, checked already
            start = reader.line_num + 1
            for record in reader:
                if record:  # blank lines hold no row (the fast reader skips them too)
                    rows += 1
                    if len(record) != columns:
                        raise LandingError(
                            f"{path}: line {start} has {len(record)} fields where the header "
                            f"has {columns}; fix the quoting or the separators of that line"
                        )
                    if measure:
                        # UTF-8 takes at most 4 bytes a character (a doubled quote 2 for 1),
                        # plus two quotes and a separator a field
                        longest = max(longest, 4 * sum(map(len, record)) + 3 * columns + 2)
                start = reader.line_num + 1
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise _FieldTooLarge from exc
            if "unexpected end of data" in str(exc):
                hint = f"a quoted value opened on line {start} is never closed"
            elif reader.line_num > start:
                hint = f"check its quotes (the record runs to line {reader.line_num})"
            else:
                hint = "check its quotes"
            raise LandingError(
                f"{path}: line {start} is not well-formed CSV ({exc}); {hint}: a quote inside "
                "a value must be doubled"
            ) from exc
        except UnicodeDecodeError as exc:
            raise encoding_error(path, fmt) from exc
    return rows, longest


def _check_csv_structure(path: Path, columns: int, fmt: CsvFormat) -> tuple[int, int]:
    """Walk the file with a strict RFC 4180 reader; return its data rows and (for a file with
    a field over 131,072 characters, the csv module's default limit) a bound on the bytes of
    its longest row, else 0.

    pyarrow's fast reader is lenient: an unterminated quote swallows the rest of the file into
    one value, and a stray quote inside a field is dropped. Either would lose rows silently,
    so every CSV is first walked strictly (about half a second per million rows), and a
    structural error names its line. A field may be as large as the file: a file with a field
    over the default limit is walked again with the file's size as the limit."""
    try:
        return _walk_csv(path, columns, fmt, measure=False)
    except _FieldTooLarge:
        with _csv_field_limit(path.stat().st_size + 1):
            return _walk_csv(path, columns, fmt, measure=True)


@dataclass
class CheckedFile:
    """A landing file that passed the checks that need no memory: header, columns and (CSV)
    a strict walk over every row. Its rows are then streamed in batches."""

    table: Table
    path: Path
    names: list[str]  # the file's column names, stripped, in file order
    extras: list[str]
    rows: int | None  # data rows counted by the strict walk (CSV); None for Parquet
    longest_row: int = 0  # CSV with a field over 131,072 characters: its longest row's bytes
    csv_format: CsvFormat = field(default_factory=CsvFormat)


def check_csv_header(t: Table, path: Path, fmt: CsvFormat | None = None) -> CheckedFile:
    """Check a CSV file's header and columns only (its rows are checked as DuckDB reads
    them, ingest.csv_fast); ``rows`` is None."""
    fmt = fmt or CsvFormat()
    names, header = read_header(path, fmt)
    extras = check_columns(t, path, names, header=header, fmt=fmt)
    return CheckedFile(t, path, [n.strip() for n in names], extras, None, 0, fmt)


def check_file(t: Table, path: Path, fmt: CsvFormat | None = None) -> CheckedFile:
    """Check one landing file without reading it into memory; raise naming what is wrong.
    ``fmt`` is how CSV files are written (default: comma-separated UTF-8)."""
    if path.suffix == ".csv":
        checked = check_csv_header(t, path, fmt)
        checked.rows, checked.longest_row = _check_csv_structure(
            path, len(checked.names), checked.csv_format
        )
        return checked
    import pyarrow as pa  # here, not at the top: the pre-flight's CSV checks need no pyarrow
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise LandingError(f"{path}: not a readable Parquet file: {exc}") from exc
    extras = check_columns(t, path, list(schema.names))
    return CheckedFile(t, path, [n.strip() for n in schema.names], extras, None)

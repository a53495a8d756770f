"""The fast CSV path: DuckDB's own ``read_csv`` reads and checks a UTF-8 landing file.

The strict walk of ``ingest.files`` (Python's csv module, one Python list a row) is exact but
costs more than DuckDB's whole read. So a UTF-8 CSV file is read straight into its raw table
by DuckDB (every column as text, strict quoting, exact column count, lineage added in SQL)
and the strict walk runs only when that read fails, to name the file, line and fault with
the same message as ever (``ingest.duckdb_loader``).

DuckDB's reader is more lenient than the strict walk in a few places: it trims spaces
between a quote and a separator (``"ab" ,`` loads as ``ab``), joins ``"a" "b"``, and accepts
a trailing separator. So its result counts only when two checks hold, else the file takes the
strict path (slower, same result):

- the file holds no space or tab between a quote and a separator, a line break, another quote
  or either end of the file (``FileScan.spaced_quote``: found in the same pass as the digest);
- the bytes add up: the file's bytes after the header are the values' bytes plus one separator
  between fields, one line break a row and the quoting overhead, where the quoting overhead
  (bytes not in any value) must equal the file's quote characters minus those inside values;
  and the rows are the file's line feeds minus those inside values, every row ending in a line
  feed or every row in a carriage return and a line feed. A dropped, joined, trimmed or
  swallowed byte breaks one of these.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from ingest.contract import Table
from ingest.csv_format import CsvFormat

SPACES = (b" ", b"\t")
CARRY_LIMIT = 1 << 20  # a longer run of spaces and quotes across a chunk edge: strict path


@dataclass
class FileScan:
    """One pass over a landing file's bytes: its batch id and what the checks compare."""

    digest: str  # the file's batch id: the first 16 hex digits of its SHA-256
    body_bytes: int = 0  # bytes after the header line
    line_feeds: int = 0  # b"\n" after the header line
    carriage_returns: int = 0  # b"\r" after the header line
    quotes: int = 0  # b'"' after the header line
    ends_with_line_feed: bool = True
    spaced_quote: bool = False  # a space or tab between a quote and a field's edge


def _spaced_quote(buf: bytes, delimiter: bytes, *, at_start: bool, at_end: bool) -> bool:
    """Whether ``buf`` holds a run of spaces or tabs with a quote on one side and, on the
    other, a separator, a line break, a quote or the file's edge."""
    edges = (b'"', b"\r", b"\n", delimiter)
    for space in SPACES:
        if space not in buf:  # a byte's search (memchr) before the slower pair searches
            continue
        for needle, quote_first in ((b'"' + space, True), (space + b'"', False)):
            i = buf.find(needle)
            while i != -1:
                if quote_first:
                    j = i + 1
                    while j < len(buf) and buf[j : j + 1] in SPACES:
                        j += 1
                    if (j == len(buf) and at_end) or buf[j : j + 1] in edges:
                        return True
                else:
                    j = i
                    while j > 0 and buf[j - 1 : j] in SPACES:
                        j -= 1
                    if (j == 0 and at_start) or (j > 0 and buf[j - 1 : j] in edges):
                        return True
                i = buf.find(needle, i + 1)
    return False


def scan_file(path: Path, fmt: CsvFormat, chunk_bytes: int = 1 << 20) -> FileScan:
    """Read the file once: its digest and, after the header line, the counts the checks use."""
    h = hashlib.sha256()
    delimiter = fmt.delimiter.encode("utf-8")
    in_header = True
    carry = b""
    at_start = True  # the buffer looked at begins where the body begins
    tail = b""
    scan = FileScan(digest="")
    with path.open("rb") as fh:
        chunk = fh.read(chunk_bytes)
        while chunk:
            h.update(chunk)
            following = fh.read(chunk_bytes)
            body = chunk
            if in_header:
                cut = chunk.find(b"\n")
                body = b"" if cut == -1 else chunk[cut + 1 :]
                in_header = cut == -1
            if body:
                scan.body_bytes += len(body)
                scan.line_feeds += body.count(b"\n")
                scan.carriage_returns += body.count(b"\r") if b"\r" in body else 0
                scan.quotes += body.count(b'"')
                tail = body[-1:]
            if body and not scan.spaced_quote:
                buf = carry + body
                scan.spaced_quote = _spaced_quote(
                    buf, delimiter, at_start=at_start, at_end=not following
                )
                # the trailing run of spaces and quotes, and the byte before it, is looked at
                # again with the next chunk
                k = len(buf)
                while k > 0 and buf[k - 1 : k] in (b" ", b"\t", b'"'):
                    k -= 1
                start = max(k - 1, 0)
                carry = buf[start:]
                at_start = at_start and start == 0
                if len(carry) > CARRY_LIMIT:
                    scan.spaced_quote = True
            chunk = following
    scan.digest = h.hexdigest()[:16]
    scan.ends_with_line_feed = tail in (b"", b"\n")
    return scan


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def raw_select(
    t: Table,
    names: list[str],
    extras: list[str],
    path: Path,
    rel: str,
    digest: str,
    loaded_at: datetime,
    fmt: CsvFormat,
) -> str:
    """The select that reads the file as its raw table: contract columns in contract order
    (an optional one missing is all-null), extras, then lineage (file, 1-based data row in
    file order, batch id, load time)."""
    present = set(names)
    columns = [
        _ident(c) if c in present else f"cast(null as varchar) as {_ident(c)}"
        for c in (*t.column_names, *extras)
    ]
    types = ", ".join(f"{_literal(n)}: 'VARCHAR'" for n in names)
    stamp = loaded_at.isoformat(sep=" ")
    return (
        f"select {', '.join(columns)}, {_literal(rel)} as _source_file, "
        "row_number() over () as _source_row, "  # a streaming window: in scan (file) order
        f"{_literal(digest)} as _batch_id, timestamp {_literal(stamp)} as _loaded_at "
        f"from read_csv({_literal(str(path))}, header = true, columns = {{{types}}}, "
        f"delim = {_literal(fmt.delimiter)}, quote = '\"', escape = '\"', strict_mode = true, "
        "null_padding = false, ignore_errors = false, max_line_size = 2097152)"
    )


def bytes_add_up(
    con: duckdb.DuckDBPyConnection, relation: str, names: list[str], scan: FileScan, fmt: CsvFormat
) -> bool:
    """Whether the rows DuckDB read from the file account for its bytes exactly (see the
    module docstring); ``relation`` holds only this file's rows."""
    if scan.spaced_quote:
        return False

    # a row's values joined (a null adds nothing): its length is their bytes, a character's
    # count in it their count of that character; one string a row is searched once a
    # character, and only a row holding it is measured (a case, not an aggregate's filter:
    # the filter would still compute the replace on every row)
    joined = f"concat({', '.join(_ident(n) for n in names)})"

    def occurrences(char: str, in_file: int) -> str:
        if not in_file:  # values are pieces of the file: none there, none in them
            return "0"
        return (
            f"coalesce(sum(case when contains(v, {char}) "
            f"then strlen(v) - strlen(replace(v, {char}, '')) end), 0)"
        )

    rows, value_bytes, feeds, returns, quotes = con.execute(
        f"select count(*), coalesce(sum(strlen(v)), 0), {occurrences('chr(10)', scan.line_feeds)}, "
        f"{occurrences('chr(13)', scan.carriage_returns)}, "
        f"{occurrences(chr(39) + chr(34) + chr(39), scan.quotes)} "
        f"from (select {joined} as v from {relation})"
    ).fetchone()
    open_last = 1 if scan.body_bytes and not scan.ends_with_line_feed else 0
    if rows != scan.line_feeds - feeds + open_last:
        return False
    feeds_between, returns_between = scan.line_feeds - feeds, scan.carriage_returns - returns
    if returns_between not in (0, feeds_between):  # rows end in LF, or all in CR LF
        return False
    separators = rows * (len(names) - 1) * len(fmt.delimiter.encode("utf-8"))
    breaks = feeds_between + returns_between
    return scan.body_bytes - value_bytes - separators - breaks == scan.quotes - quotes

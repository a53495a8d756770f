"""Pre-flight: a fast look at a landing folder before the main job (and Dagster) starts.

``cxw run --landing`` and ``cxw load`` call ``preflight`` first, so that the commonest ways
an export goes wrong fail in a second with one line naming the file and the fix, instead of
after the orchestrator has started:

- the folder is missing, or a contract file is missing or doubled (the optional files of
  ``OPTIONAL_TABLES``, e.g. ``ticketing/schedules.csv``, may be absent and are checked like
  the others when present; a misspelt optional column is named);
- a CSV file separated by another delimiter (``;``, tab, ``|``): ``--delimiter`` loads it;
- a CSV file in another encoding (Windows-1252 / Latin-1 bytes such as 0xfc): ``--encoding``
  loads it;
- decimal commas (``12,50``) in a numeric column: re-export with decimal points (staging would
  quarantine every such row as ``invalid_number``).

Only the head of each file (``HEAD_BYTES``) is read, so the time does not grow with the data;
the loader's strict walk over every row still checks the rest, with the same messages.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ingest.contract import TABLES, Table
from ingest.csv_format import CsvFormat, undecodable_message
from ingest.files import LandingError, check_columns, check_file, find_files, read_header

HEAD_BYTES = 1 << 16
# A number written with a decimal comma (and perhaps dots between thousands): 12,5 -1.234,50
DECIMAL_COMMA = re.compile(r"^\s*[-+]?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+),[0-9]+\s*$")


def _head(path: Path) -> tuple[bytes, bool]:
    """The first HEAD_BYTES of the file, cut after its last complete line; whether that is all."""
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES + 1)
    if len(head) <= HEAD_BYTES:
        return head, True
    cut = head.rfind(b"\n", 0, HEAD_BYTES)
    return (head[: cut + 1] if cut > 0 else head[:HEAD_BYTES]), False


def _check_encoding(path: Path, head: bytes, fmt: CsvFormat) -> None:
    for number, line in enumerate(head.splitlines(keepends=True), start=1):
        try:
            line.decode(fmt.python_encoding if number == 1 else fmt.encoding)
        except UnicodeDecodeError as exc:
            raise LandingError(undecodable_message(path, number, line, fmt)) from exc


def _check_decimal_commas(t: Table, path: Path, text: str, fmt: CsvFormat) -> None:
    """Fail when most sampled values of a numeric column are written with a decimal comma."""
    numeric = [c.name for c in t.columns if c.type == "decimal"]
    if not numeric:
        return
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=fmt.delimiter)
    try:
        header = [n.strip() for n in next(reader)]
        positions = {c: header.index(c) for c in numeric if c in header}
        samples: dict[str, list[tuple[int, str]]] = {c: [] for c in positions}
        for record in reader:
            for column, i in positions.items():
                value = record[i].strip() if i < len(record) else ""
                if value:
                    samples[column].append((reader.line_num, value))
    except (csv.Error, StopIteration):
        return  # a structural problem: the loader's strict walk names its line
    for column, values in samples.items():
        commas = [(line, v) for line, v in values if DECIMAL_COMMA.match(v)]
        if commas and 2 * len(commas) >= len(values):
            line, value = commas[0]
            raise LandingError(
                f"{path}: column {column} is written with decimal commas (e.g. '{value}' on "
                f"line {line}, {len(commas)} of {len(values)} values read): re-export the file "
                "with a decimal point (12.50), else every such row is quarantined as "
                "invalid_number"
            )


def check_csv_head(t: Table, path: Path, fmt: CsvFormat) -> None:
    """The fast checks of one CSV file: encoding, delimiter and columns, decimal commas."""
    head, _whole = _head(path)
    _check_encoding(path, head, fmt)
    names, header = read_header(path, fmt)
    check_columns(t, path, names, header=header, fmt=fmt)
    _check_decimal_commas(t, path, head.decode(fmt.python_encoding, errors="replace"), fmt)


def preflight(
    landing: str | Path,
    csv_format: CsvFormat | None = None,
    *,
    mode: str = "full",
) -> list[str]:
    """Check ``landing`` fast (see the module docstring); raise ``LandingError`` with one line
    naming the file and the fix; return warnings (files that are not contract tables).

    In ``delta`` mode a file may be left out (the loader knows which tables are loaded)."""
    landing = Path(landing)
    fmt = csv_format or CsvFormat.from_env()
    optional = frozenset(TABLES) if mode == "delta" else frozenset()
    try:
        files, warnings = find_files(landing, optional=optional)
    except LandingError as exc:
        lines = str(exc).splitlines()
        if len(lines) > 1:  # every missing file listed: the first, and how many more
            problems = [ln.strip().removeprefix("- ") for ln in lines[1:]]
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise LandingError(f"landing folder {landing}: {problems[0]}{more}") from exc
        raise
    for t, path in files.items():
        if path.suffix == ".csv":
            check_csv_head(t, path, fmt)
        else:
            check_file(t, path, fmt)  # Parquet: its schema only
    return warnings


def preflight_cli(
    landing: Path, delimiter: str | None, encoding: str | None, mode: str = "full"
) -> CsvFormat:
    """``preflight`` for the command line: the CSV format from ``--delimiter`` and
    ``--encoding`` (else CXW_CSV_DELIMITER / CXW_CSV_ENCODING), put into the environment so
    that the loader, also inside the Dagster run, reads the files the same way."""
    fmt = CsvFormat.from_env(delimiter=delimiter, encoding=encoding)
    fmt.export()
    preflight(landing, fmt, mode=mode)
    return fmt

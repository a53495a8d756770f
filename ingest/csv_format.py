"""How the landing CSV files are written: their delimiter and their encoding.

The contract's files are comma-separated UTF-8 (a byte-order mark is fine). Exports from
other tools often are not: semicolons or tabs between fields, Latin-1 / Windows-1252 text.
``cxw load`` and ``cxw run`` take ``--delimiter`` and ``--encoding`` for such files; they are
passed to the loader as ``CXW_CSV_DELIMITER`` and ``CXW_CSV_ENCODING`` (so the load step of
the Dagster job reads them too). Without them, the messages here say what the file looks like
and which option loads it as it is.
"""

from __future__ import annotations

import codecs
import csv
import os
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import LandingError

DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
CANDIDATE_DELIMITERS = (",", ";", "\t", "|")
# What a non-UTF-8 export most likely is: Windows-1252 (a superset of Latin-1's printable
# characters), the default of spreadsheet exports on Western European Windows machines.
LIKELY_LEGACY_ENCODING = "cp1252"


class CsvFormatError(LandingError):
    """An unusable --delimiter or --encoding."""


@dataclass(frozen=True)
class CsvFormat:
    delimiter: str = ","
    encoding: str = "utf-8"  # a Python codec name, normalised ("cp1252", "iso8859-1", ...)

    @classmethod
    def parse(cls, delimiter: str | None = None, encoding: str | None = None) -> CsvFormat:
        """A format from the command line's spelling: ``;``, ``tab``, ``\\t``; any codec name
        Python knows (``latin-1``, ``cp1252``, ``utf-8``)."""
        d = "," if delimiter in (None, "") else DELIMITER_NAMES.get(delimiter.lower(), delimiter)
        if len(d) != 1 or d in '"\r\n':
            raise CsvFormatError(
                f"--delimiter {delimiter!r} is not one character other than a quote or a line "
                "break: use e.g. ';', '|' or tab"
            )
        name = "utf-8"
        if encoding:
            try:
                name = codecs.lookup(encoding).name
            except LookupError as exc:
                raise CsvFormatError(
                    f"--encoding {encoding!r} is not an encoding Python knows: use e.g. "
                    "utf-8, cp1252 or latin-1"
                ) from exc
            if name.startswith(("utf-16", "utf-32")) or name == "utf-8-sig":
                name = "utf-8" if name == "utf-8-sig" else name
                if name != "utf-8":
                    raise CsvFormatError(
                        f"--encoding {encoding}: files of two or four bytes a character are "
                        "not supported; re-export the file as UTF-8"
                    )
        return cls(d, name)

    @classmethod
    def from_env(
        cls,
        env: dict[str, str] | None = None,
        *,
        delimiter: str | None = None,
        encoding: str | None = None,
    ) -> CsvFormat:
        """The format of CXW_CSV_DELIMITER and CXW_CSV_ENCODING; a given option wins."""
        env = dict(os.environ if env is None else env)
        return cls.parse(
            delimiter or env.get("CXW_CSV_DELIMITER"), encoding or env.get("CXW_CSV_ENCODING")
        )

    def env(self) -> dict[str, str]:
        """The variables that make ``from_env`` (the loader in a Dagster run) read this."""
        return {"CXW_CSV_DELIMITER": self.delimiter, "CXW_CSV_ENCODING": self.encoding}

    def export(self) -> None:
        os.environ.update(self.env())

    @property
    def is_utf8(self) -> bool:
        return self.encoding == "utf-8"

    @property
    def python_encoding(self) -> str:
        """The codec to read with: UTF-8 skips a byte-order mark."""
        return "utf-8-sig" if self.is_utf8 else self.encoding

    @property
    def label(self) -> str:
        return "UTF-8" if self.is_utf8 else self.encoding


def delimiter_option(delimiter: str) -> str:
    """How to write a delimiter on the command line."""
    return "tab" if delimiter == "\t" else f"'{delimiter}'"


def delimiter_name(delimiter: str) -> str:
    return {"\t": "tabs", ",": "commas", ";": "semicolons", "|": "pipes"}.get(
        delimiter, f"'{delimiter}'"
    )


def other_delimiter(header: str, required: list[str], fmt: CsvFormat) -> str | None:
    """The delimiter that makes ``header`` hold every required column, when ``fmt``'s does not."""
    for candidate in CANDIDATE_DELIMITERS:
        if candidate == fmt.delimiter:
            continue
        try:
            names = next(csv.reader([header], delimiter=candidate))
        except (csv.Error, StopIteration):
            continue
        if len(names) > 1 and all(c in [n.strip() for n in names] for c in required):
            return candidate
    return None


def wrong_delimiter_message(path: Path, found: str, fmt: CsvFormat) -> str:
    if fmt.delimiter == ",":
        fix = (
            f"load it as it is with --delimiter {delimiter_option(found)} (or re-export it "
            "comma-separated)"
        )
    else:  # the user named another separator: this file does not follow it
        fix = (
            f"every landing CSV file needs the same separator: re-export it separated by "
            f"{delimiter_name(fmt.delimiter)}, or load the folder with --delimiter "
            f"{delimiter_option(found)}"
        )
    return (
        f"{path}: the fields are separated by {delimiter_name(found)}, not "
        f"{delimiter_name(fmt.delimiter)}: {fix}"
    )


def undecodable_message(path: Path, line: int | None, raw_line: bytes, fmt: CsvFormat) -> str:
    """The message for a line that is not in the expected encoding, with the option that
    loads the file as it is when the bytes read as Windows-1252 / Latin-1."""
    where = f"line {line}" if line else "a line"
    if line == 1 and raw_line.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return (
            f"{path}: the file is UTF-16 (it starts with its byte-order mark); "
            "re-export it as UTF-8"
        )
    try:
        raw_line.decode(fmt.python_encoding)
        detail, position = "", None
    except UnicodeDecodeError as exc:
        position = exc.start
        detail = f" (byte 0x{raw_line[exc.start]:02x})"
    if fmt.is_utf8 and position is not None:
        try:
            char = raw_line[position : position + 1].decode(LIKELY_LEGACY_ENCODING)
            raw_line.decode(LIKELY_LEGACY_ENCODING)
        except UnicodeDecodeError:
            pass
        else:
            return (
                f"{path}: {where} is not valid UTF-8 (byte 0x{raw_line[position]:02x}, "
                f"'{char}' in Windows-1252 / Latin-1): re-export the file as UTF-8, or load it "
                f"as it is with --encoding {LIKELY_LEGACY_ENCODING}"
            )
    return (
        f"{path}: {where} is not valid {fmt.label}{detail}; re-export the file as UTF-8, or "
        "name its encoding with --encoding"
    )


def first_undecodable_line(path: Path, fmt: CsvFormat) -> tuple[int, bytes] | None:
    """The 1-based number and bytes of the file's first line that does not decode."""
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            try:
                line.decode(fmt.python_encoding if number == 1 else fmt.encoding)
            except UnicodeDecodeError:
                return number, line
    return None

"""Helpers the vendor demo writers share: reading the contract demo back, writing a table."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq


def read_contract_table(path: Path) -> pa.Table:
    """A contract demo file as text columns (an empty CSV field is NULL), as the loader and
    staging read it."""
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        return pa.table({n: table.column(n).cast(pa.string()) for n in table.column_names})
    with path.open(newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    return pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in header},
            strings_can_be_null=True,
            null_values=[""],
            quoted_strings_can_be_null=True,
        ),
    )


def write_table(rows: list[dict], stem: Path, file_format: str = "csv") -> Path:
    """Write rows (dicts of text or None, every row with the same keys) to
    ``<stem>.csv`` or ``.parquet``; every column text, as a vendor export reads."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    names = list(rows[0]) if rows else []
    table = pa.table({n: pa.array([r.get(n) for r in rows], pa.string()) for n in names})
    path = stem.with_suffix(f".{file_format}")
    if file_format == "parquet":
        pq.write_table(table, path)
    else:
        pacsv.write_csv(table, path)
    return path

"""Typed values for the vendor-shaped demo writers (Salesforce, HubSpot, Qualtrics).

The contract demo holds text; a Fivetran destination holds types. These helpers turn contract
text into the values Fivetran lands (UTC timestamps, booleans, numbers) and write one vendor
table as CSV or Parquet. A value that does not parse (the contract demo's planted bad rows)
becomes null, as a typed column cannot hold it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

TYPES: Mapping[str, pa.DataType] = {
    "text": pa.string(),
    "timestamp": pa.timestamp("us"),
    "date": pa.date32(),
    "boolean": pa.bool_(),
    "number": pa.float64(),
    "integer": pa.int64(),
}


def text(value: object) -> str | None:
    """Trimmed text; blank is None."""
    if value is None:
        return None
    out = str(value).strip()
    return out or None


def timestamp(value: object) -> dt.datetime | None:
    """ISO 8601 text (with `Z`, an offset or none: UTC) -> a naive UTC datetime; None when it
    does not parse."""
    raw = text(value)
    if raw is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(raw)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def boolean(value: object) -> bool | None:
    raw = (text(value) or "").lower()
    if raw in ("true", "t", "yes", "y", "1"):
        return True
    if raw in ("false", "f", "no", "n", "0"):
        return False
    return None


def number(value: object) -> float | None:
    raw = text(value)
    if raw is None:
        return None
    try:
        return float(Decimal(raw))
    except (InvalidOperation, ValueError):
        return None


def rows_of(table: pa.Table) -> list[dict[str, object]]:
    """The contract table's rows as dicts of text (or None)."""
    return table.to_pylist()


def synced_at(*tables: pa.Table, columns: Sequence[str]) -> dt.datetime:
    """A `_fivetran_synced` for the whole demo: one hour after the latest timestamp found in
    `columns` of `tables` (deterministic for a given demo)."""
    latest = dt.datetime(2000, 1, 1)
    for table in tables:
        for name in columns:
            if name in table.column_names:
                for value in table.column(name).to_pylist():
                    parsed = timestamp(value)
                    if parsed is not None and parsed > latest:
                        latest = parsed
    return latest.replace(microsecond=0) + dt.timedelta(hours=1)


def write_table(
    out_dir: Path,
    vendor: str,
    name: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Mapping[str, object]],
    file_format: str,
) -> Path:
    """Write `rows` (dicts) as `<out_dir>/<vendor>/<name>.<csv|parquet>` with the typed
    `columns` ((name, type) with type a key of TYPES); return the path."""
    if file_format not in ("csv", "parquet"):
        raise ValueError(f"file_format must be 'csv' or 'parquet', not {file_format!r}")
    table = pa.table(
        {col: pa.array([r.get(col) for r in rows], TYPES[kind]) for col, kind in columns}
    )
    folder = out_dir / vendor
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.{file_format}"
    other = folder / f"{name}.{'parquet' if file_format == 'csv' else 'csv'}"
    if other.exists():
        other.unlink()
    if file_format == "csv":
        pacsv.write_csv(
            table, path, pacsv.WriteOptions(include_header=True, quoting_style="needed")
        )
    else:
        pq.write_table(table, path, compression="zstd")
    return path

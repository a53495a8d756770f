"""Writing the demo tables in the raw contract's shape.

Table names, column names and column order come from `ingest/contract.py` (the one list of raw
tables and columns), read at call time. What is decided here is only how each contract type is
written: timestamps (and dates) stay ISO 8601 *text* in both formats, so offsets and
unparseable values survive; booleans are booleans; decimals are decimal(14, 2), except the
answer values, which are written as doubles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ingest import contract

ARROW_TYPES: dict[str, pa.DataType] = {
    "text": pa.string(),
    "timestamp": pa.string(),
    "date": pa.string(),
    "boolean": pa.bool_(),
    "decimal": pa.decimal128(14, 2),
}
# Columns written in another Arrow type than their contract type's: scores are not money.
ARROW_OVERRIDES: dict[tuple[str, str], pa.DataType] = {
    ("survey.answers", "numeric_value"): pa.float64(),
    ("ticketing.schedules", "weekday"): pa.int64(),  # 0 = Monday .. 6 = Sunday
    ("ticketing.sla_policies", "target_minutes"): pa.int64(),
}


def contract_columns() -> dict[str, list[tuple[str, str]]]:
    """{'system.table': [(column, contract type), ...]} in contract order, from the contract."""
    return {t.qualified: [(c.name, c.type) for c in t.columns] for t in contract.TABLES}


# The same view, taken once at import (for readers and tests; the generator reads the contract).
CONTRACT: dict[str, list[tuple[str, str]]] = contract_columns()


def arrow_type(name: str, column: str, kind: str) -> pa.DataType:
    override = ARROW_OVERRIDES.get((name, column))
    if override is not None:
        return override
    if kind not in ARROW_TYPES:
        raise ValueError(f"{name}.{column}: contract type {kind!r} has no demo file type")
    return ARROW_TYPES[kind]


def optional_columns(name: str) -> list[contract.Column]:
    """The optional columns of a contract table (ingest.contract OPTIONAL_COLUMNS), in order."""
    return list(contract.OPTIONAL_COLUMNS.get(name, ()))


def schema(name: str, optional: Iterable[str] = ()) -> pa.Schema:
    """The Arrow schema a table is written with: the contract's columns, in contract order,
    then those of its optional columns (OPTIONAL_COLUMNS) named in `optional`."""
    wanted = set(optional)
    columns = [*contract.table(name).columns]
    columns += [c for c in optional_columns(name) if c.name in wanted]
    return pa.schema([pa.field(c.name, arrow_type(name, c.name, c.type)) for c in columns])


def contract_table(name: str, columns: Mapping[str, pa.Array]) -> pa.Table:
    """An Arrow table of `name` from its generated columns, checked against the contract (the
    optional columns of OPTIONAL_COLUMNS may follow the contract's, in their order)."""
    known = {c.name for c in optional_columns(name)}
    target = schema(name, [c for c in columns if c in known])
    if list(columns) != target.names:
        missing = [c for c in target.names if c not in columns]
        extra = [c for c in columns if c not in target.names]
        raise ValueError(
            f"demo generator and raw contract disagree on {name}: "
            f"not generated {missing or 'none'}, not in the contract {extra or 'none'}"
            + ("" if missing or extra else ", column order differs")
        )
    arrays = [columns[f.name].cast(f.type) for f in target]
    return pa.Table.from_arrays(arrays, schema=target)


# Rows of a Parquet row group: pyarrow's default (and largest), so that a table written in
# batches gets the row groups, and so the bytes, it gets when written whole. Rows are handed
# to the writer in smaller batches (`BATCH_ROWS`) to keep the copies made on the way small.
ROW_GROUP_ROWS = 1 << 20
BATCH_ROWS = 1 << 17


def write_table(
    batches: Iterable[pa.Table],
    landing: Path,
    name: str,
    file_format: str,
    target: pa.Schema | None = None,
) -> tuple[Path, int]:
    """Writes `<landing>/<system>/<table>.<csv|parquet>` from `batches` (tables in file order,
    at least one) and removes the same table's file in the other format, so a landing folder
    never holds both. The bytes do not depend on how the rows are batched. `target` is the
    tables' schema (default: the contract's columns). Returns the path and the rows written."""
    with TableFiles(landing, file_format) as files:
        rows = files.write(name, batches, target)
    return files.paths[name], rows


class TableFiles:
    """The landing files of one generation, each open from its first rows to `close()`: a
    table is written in parts (one per chunk of accounts), one after the other. Written in one
    part, a file has the bytes `write_table` gives; each later part starts a new Parquet row
    group (CSV bytes do not depend on the parts)."""

    def __init__(self, landing: Path, file_format: str) -> None:
        self.landing = landing
        self.file_format = file_format
        self.paths: dict[str, Path] = {}
        self._writers: dict[str, pacsv.CSVWriter | pq.ParquetWriter] = {}

    def _open(self, name: str, target: pa.Schema) -> pacsv.CSVWriter | pq.ParquetWriter:
        t = contract.table(name)
        other = "parquet" if self.file_format == "csv" else "csv"
        folder = self.landing / t.system
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{t.name}.{self.file_format}"
        stale = folder / f"{t.name}.{other}"
        if stale.exists():
            stale.unlink()
        self.paths[name] = path
        if self.file_format == "csv":
            options = pacsv.WriteOptions(include_header=True, quoting_style="needed")
            return pacsv.CSVWriter(path, target, write_options=options)
        return pq.ParquetWriter(path, target, compression="zstd")

    def write(self, name: str, batches: Iterable[pa.Table], target: pa.Schema | None = None) -> int:
        """Appends `batches` (tables in file order) to the table's file; returns their rows."""
        target = target if target is not None else schema(name)
        first = name not in self._writers
        if first:
            self._writers[name] = self._open(name, target)
        writer = self._writers[name]
        if self.file_format != "csv":
            batches = _row_groups(batches, target, empty_group=first)
        rows = 0
        for batch in batches:
            writer.write_table(batch)
            rows += batch.num_rows
        return rows

    def close(self) -> None:
        while self._writers:
            self._writers.popitem()[1].close()

    def __enter__(self) -> TableFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _row_groups(
    batches: Iterable[pa.Table], target: pa.Schema, empty_group: bool = True
) -> Iterator[pa.Table]:
    """The rows regrouped into contiguous tables of `ROW_GROUP_ROWS` (the last one shorter; empty
    when there are no rows, unless `empty_group` is false). Contiguous, because Parquet's
    encoding choices (when a dictionary grows too large) are made per chunk handed to the
    writer: chunked input would change the bytes."""
    held: list[pa.Table] = []
    count = 0
    full_groups = 0
    for batch in batches:
        held.append(batch)
        count += batch.num_rows
        while count >= ROW_GROUP_ROWS:
            group = pa.concat_tables(held)
            yield group.slice(0, ROW_GROUP_ROWS).combine_chunks()
            full_groups += 1
            rest = group.slice(ROW_GROUP_ROWS)
            held, count = [rest], rest.num_rows
    if count or (empty_group and not full_groups):  # the rest; an empty table: one empty group
        yield pa.concat_tables(held).combine_chunks() if held else target.empty_table()


class Spilled:
    """A table written chunk by chunk to an Arrow IPC file (not memory-mapped), read back a
    batch at a time: what the bad rows and the file writer need of a table too large to hold."""

    def __init__(self, path: Path, tables: Iterable[pa.Table], target: pa.Schema) -> None:
        self.path = path
        self.schema = target
        starts = [0]
        with pa.OSFile(str(path), "wb") as out, pa.ipc.new_file(out, target) as writer:
            for tbl in tables:
                for batch in tbl.to_batches():
                    writer.write_batch(batch)
                    starts.append(starts[-1] + batch.num_rows)
        self.starts = np.array(starts, dtype=np.int64)  # first row of each batch, then the end
        self.num_rows = int(self.starts[-1])

    def _batch(self, i: int) -> pa.Table:
        with pa.OSFile(str(self.path)) as f:
            return pa.Table.from_batches([pa.ipc.open_file(f).get_batch(i)], schema=self.schema)

    def take(self, indices: pa.Array) -> pa.Table:
        """Rows at `indices` (ascending), in that order."""
        idx = np.asarray(indices, dtype=np.int64)
        if idx.size and np.any(np.diff(idx) < 0):
            raise ValueError("Spilled.take needs ascending row numbers")
        which = np.searchsorted(self.starts, idx, side="right") - 1
        parts = [
            self._batch(int(b)).take(pa.array(idx[which == b] - self.starts[b]))
            for b in np.unique(which)
        ]
        return pa.concat_tables(parts) if parts else self.schema.empty_table()

    def reader(self) -> Callable[[int, int], pa.Table]:
        """`read(a, b)`: rows [a, b) as one contiguous table; calls must move forward."""
        cache: dict[int, pa.Table] = {}

        def read(a: int, b: int) -> pa.Table:
            parts = []
            first = int(np.searchsorted(self.starts, a, side="right")) - 1
            for i in range(max(first, 0), len(self.starts) - 1):
                lo, hi = self.starts[i], self.starts[i + 1]
                if lo >= b:
                    break
                if hi <= a:
                    continue
                if i not in cache:
                    cache.clear()
                    cache[i] = self._batch(i)
                parts.append(cache[i].slice(max(a - lo, 0), min(b, hi) - max(a, lo)))
            if not parts:
                return self.schema.empty_table()
            return pa.concat_tables(parts).combine_chunks()

        return read

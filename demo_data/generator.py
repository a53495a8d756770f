"""Demo data generator: a synthetic landing folder that meets the raw data contract.

`generate()` writes one file per raw table of `ingest/contract.py`
(`<landing>/<system>/<table>.csv` or `.parquet`) with realistic, messy and partly broken rows,
and plants known truths (`PLANTED`) that the warehouse must rediscover: a billing hotspot
concentrated on the top-revenue accounts, and one channel (`social`) with clearly lower CSAT.
Everything is vectorised with numpy / pyarrow (no Python loop per row) and deterministic for a
given seed: the same arguments give byte-identical files.

The work is split by job: `world` (window, random streams, accounts and people), one module per
source system (`crm`, `ticketing`, `survey`), `bad_rows` (the planted contract violations),
`writer` (contract schemas, CSV / Parquet files), `planted` and `vocab` (data).
See docs/demo_data.md for what is generated, the planted truths and the bad-row reasons.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from itertools import chain
from pathlib import Path
from typing import Literal

import pyarrow as pa

from demo_data import bad_rows, crm, support_ops, survey, ticketing
from demo_data.bad_rows import BAD_ROW_REASONS
from demo_data.planted import PLANTED, PlantedTruth
from demo_data.vocab import CATEGORIES
from demo_data.world import World
from demo_data.writer import BATCH_ROWS, CONTRACT, Spilled, write_table
from ingest import contract

__all__ = [
    "BAD_ROW_REASONS",
    "CATEGORIES",
    "CONTRACT",
    "PLANTED",
    "GenerationResult",
    "PlantedTruth",
    "generate",
]


class GenerationResult(dict):
    """Rows written per 'system.table' (the object *is* that dict), plus details.

    - `rows`: {'crm.accounts': 20040, ...} rows in each file, bad rows included
    - `bad_rows`: {'crm.accounts': {'missing_key': 14, ...}, ...} planted bad rows per reason
      (contract tables only: the optional support-operations tables get none)
    - `seconds`: wall time of the whole call, writing included
    - `files`: the paths written, `as_of_date`: the date of the latest valid event
    """

    def __init__(
        self,
        rows: dict[str, int],
        bad_rows: dict[str, dict[str, int]],
        seconds: float,
        files: list[Path],
        as_of_date: date,
    ) -> None:
        super().__init__(rows)
        self.rows = dict(rows)
        self.bad_rows = bad_rows
        self.seconds = seconds
        self.files = files
        self.as_of_date = as_of_date

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_minute(self) -> float:
        return 60.0 * self.total_rows / self.seconds if self.seconds > 0 else float("inf")


def generate(
    landing_dir: str | Path,
    *,
    accounts: int = 20_000,
    seed: int = 42,
    file_format: Literal["csv", "parquet"] = "csv",
    bad_row_share: float = 0.002,
    end_date: date = date(2026, 10, 31),
    months: int = 24,
    support_operations: bool = True,
    progress: Callable[[str], None] | None = None,
) -> GenerationResult:
    """Writes <landing_dir>/<system>/<table>.<ext> for every table of the raw contract; returns
    rows written per 'system.table'.

    With `support_operations` (the default) it also writes the optional support-operations
    tables (ticketing schedules, holidays, SLA policies) and the optional columns of tickets
    and events (`demo_data/support_ops.py`); the contract's columns are the same either way.

    The result is a `GenerationResult`: a dict of rows per table that also carries
    `.bad_rows` (planted bad rows per table and reason), `.seconds` and `.as_of_date`.
    Same arguments -> byte-identical files. A file of the same table in the other format is
    removed, so a landing folder never holds both.
    """
    t0 = time.perf_counter()
    if accounts < 1:
        raise ValueError("accounts must be at least 1")
    if file_format not in ("csv", "parquet"):
        raise ValueError(f"file_format must be 'csv' or 'parquet', not {file_format!r}")
    if not 0 <= bad_row_share < 0.5:
        raise ValueError("bad_row_share must be in [0, 0.5)")
    if months < 1:
        raise ValueError("months must be at least 1")
    say = progress or (lambda _msg: None)
    landing = Path(landing_dir)

    rows: dict[str, int] = {}
    bad: dict[str, dict[str, int]] = {}
    files: list[Path] = []

    def write(name: str, tbl: pa.Table | Iterator[pa.Table]) -> None:
        """Plants the table's bad rows and writes it as soon as it is built (then drops it).
        A table built in chunks is spilled to a temporary Arrow file first."""
        if not isinstance(tbl, pa.Table):
            first = next(tbl)  # its schema: the contract's columns, perhaps optional ones
            tbl = Spilled(Path(spill.name) / f"{name}.arrow", chain([first], tbl), first.schema)
        measure = w.answer_measure if name == "survey.answers" else None
        planted: dict[str, int] = {}
        if name in BAD_ROW_REASONS:
            merged, planted = bad_rows.plant(name, tbl, bad_row_share, w.rngs["bad"], measure)
            bad[name] = planted
        else:  # an optional reference table (support operations): written clean
            merged = bad_rows.Merged(tbl)
        path, rows[name] = write_table(
            merged.batches(BATCH_ROWS), landing, name, file_format, tbl.schema
        )
        files.append(path)
        t = contract.table(name)
        say(f"{t.system}/{t.name}.{file_format}: {rows[name]} rows ({sum(planted.values())} bad)")

    w = World(accounts, seed, end_date, months, sink=write, support_ops=support_operations)
    say(f"generating {accounts} accounts, seed {seed}, {months} months up to {end_date}")
    landing.mkdir(parents=True, exist_ok=True)
    spill = tempfile.TemporaryDirectory(prefix=".generating-", dir=landing)
    with spill:
        w.populate()
        crm.build(w)
        say("crm tables built")
        ticketing.build(w)
        say("ticketing tables built")
        survey.build(w)
        say("survey tables built")
        if support_operations:
            support_ops.tables(w)
            say("support operations tables built")
    made = list(rows)
    expected = [t.qualified for t in contract.TABLES]
    if support_operations:
        expected += [t.qualified for t in contract.OPTIONAL_TABLES]
    if made != expected:
        missing = [n for n in expected if n not in made]
        raise ValueError(
            f"the demo generator made {', '.join(made)}; the raw contract lists "
            f"{', '.join(expected)} (not made: {', '.join(missing) or 'none'})"
        )
    seconds = time.perf_counter() - t0
    result = GenerationResult(rows, bad, seconds, files, w.as_of())
    say(f"{result.total_rows} rows in {seconds:.1f} s ({result.rows_per_minute:,.0f} rows/min)")
    return result

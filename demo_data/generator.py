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
from demo_data.world import ID_KINDS, World
from demo_data.writer import BATCH_ROWS, CONTRACT, Spilled, TableFiles
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


# Accounts per chunk: the world is drawn and written a chunk of accounts at a time, so memory
# follows the chunk, not the data set. Up to this many accounts (the default demo's 20,000
# included) there is one chunk, drawn exactly as a world of all the accounts.
CHUNK_ACCOUNTS = 50_000
# The table whose keys number each kind of id (World.off): a later chunk's ids follow these
# keys, the fresh keys of their bad rows included.
ID_KIND = {
    "crm.accounts": "acc",
    "crm.contacts": "con",
    "crm.orders": "ord",
    "crm.invoices": "inv",
    "ticketing.tickets": "tkt",
    "ticketing.ticket_events": "evt",
    "survey.responses": "rsp",
}
# Orphan references point at ids from here on (demo_data/bad_rows.py): no real id may reach it.
GHOST_IDS_FROM = 9_000_000


def account_chunks(accounts: int, chunk_accounts: int) -> list[int]:
    """The accounts of each chunk: as few chunks as `chunk_accounts` allows, of equal size
    (within one account), so that every chunk draws from the same distribution."""
    k = -(-accounts // chunk_accounts)
    return [accounts // k + (1 if i < accounts % k else 0) for i in range(k)]


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
    chunk_accounts: int = CHUNK_ACCOUNTS,
) -> GenerationResult:
    """Writes <landing_dir>/<system>/<table>.<ext> for every table of the raw contract; returns
    rows written per 'system.table'.

    With `support_operations` (the default) it also writes the optional support-operations
    tables (ticketing schedules, holidays, SLA policies) and the optional columns of tickets
    and events (`demo_data/support_ops.py`); the contract's columns are the same either way.

    More than `chunk_accounts` accounts are drawn and written in chunks of equal size, one after
    the other (each chunk its own random streams from the seed, its ids after the earlier
    chunks'), so that memory follows the chunk. One chunk draws what a world of all the
    accounts draws.

    The result is a `GenerationResult`: a dict of rows per table that also carries
    `.bad_rows` (planted bad rows per table and reason), `.seconds` and `.as_of_date`.
    Same arguments -> byte-identical files. A file of the same table in the other format is
    removed, so a landing folder never holds both.
    """
    t0 = time.perf_counter()
    if accounts < 1:
        raise ValueError("accounts must be at least 1")
    if chunk_accounts < 1:
        raise ValueError("chunk_accounts must be at least 1")
    if file_format not in ("csv", "parquet"):
        raise ValueError(f"file_format must be 'csv' or 'parquet', not {file_format!r}")
    if not 0 <= bad_row_share < 0.5:
        raise ValueError("bad_row_share must be in [0, 0.5)")
    if months < 1:
        raise ValueError("months must be at least 1")
    say = progress or (lambda _msg: None)
    landing = Path(landing_dir)
    sizes = account_chunks(accounts, chunk_accounts)

    rows: dict[str, int] = {}
    bad: dict[str, dict[str, int]] = {}
    files: list[Path] = []
    # the ids taken so far, per kind (World.off), and what the next chunk starts after
    taken = dict.fromkeys(ID_KINDS, 0)
    after = dict(taken)

    def write(name: str, tbl: pa.Table | Iterator[pa.Table]) -> None:
        """Plants the table's bad rows and writes it as soon as it is built (then drops it).
        A table built in chunks is spilled to a temporary Arrow file first."""
        if not isinstance(tbl, pa.Table):
            first = next(tbl)  # its schema: the contract's columns, perhaps optional ones
            tbl = Spilled(Path(spill.name) / f"{name}.arrow", chain([first], tbl), first.schema)
        measure = w.answer_measure if name == "survey.answers" else None
        kind = ID_KIND.get(name)
        first_key = taken[kind] if kind else 0
        planted: dict[str, int] = {}
        if name in BAD_ROW_REASONS:
            merged, planted = bad_rows.plant(
                name, tbl, bad_row_share, w.rngs["bad"], measure, first_key
            )
            bad[name] = {r: bad.get(name, {}).get(r, 0) + k for r, k in planted.items()}
        else:  # an optional reference table (support operations): written clean
            merged = bad_rows.Merged(tbl)
        if kind:
            after[kind] = first_key + tbl.num_rows + merged.keys_used
        written = out.write(name, merged.batches(BATCH_ROWS), tbl.schema)
        if name not in rows:
            files.append(out.paths[name])
        rows[name] = rows.get(name, 0) + written
        if len(sizes) == 1:
            t = contract.table(name)
            say(f"{t.system}/{t.name}.{file_format}: {written} rows ({sum(planted.values())} bad)")

    chunks = f" in {len(sizes)} chunks of {sizes[0]:,} accounts" if len(sizes) > 1 else ""
    say(f"generating {accounts} accounts{chunks}, seed {seed}, {months} months up to {end_date}")
    landing.mkdir(parents=True, exist_ok=True)
    spill = tempfile.TemporaryDirectory(prefix=".generating-", dir=landing)
    shared: dict = {}
    with spill, TableFiles(landing, file_format) as out:
        for k, size in enumerate(sizes):
            w = World(
                size,
                seed,
                end_date,
                months,
                sink=write,
                support_ops=support_operations,
                chunk=k,
                offsets=taken,
                shared=shared,
            )
            build_chunk(w, say if len(sizes) == 1 else (lambda _msg: None))
            taken = dict(after)
            too_many = [x for x in ("acc", "tkt", "rsp") if taken[x] >= GHOST_IDS_FROM]
            if too_many:
                raise ValueError(
                    f"too many {', '.join(too_many)} ids for the demo's orphan references "
                    f"(from {GHOST_IDS_FROM:,}): generate fewer accounts"
                )
            if len(sizes) > 1:
                say(f"chunk {k + 1}/{len(sizes)} ({size:,} accounts): {sum(rows.values()):,} rows")
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
    result = GenerationResult(rows, bad, seconds, files, end_date)
    say(f"{result.total_rows} rows in {seconds:.1f} s ({result.rows_per_minute:,.0f} rows/min)")
    return result


def build_chunk(w: World, say: Callable[[str], None]) -> None:
    """Draws one chunk of accounts and emits its tables, in contract order (the survey catalog
    and the support-operations reference tables with the first chunk only)."""
    w.populate()
    crm.build(w)
    say("crm tables built")
    ticketing.build(w)
    say("ticketing tables built")
    survey.build(w)
    say("survey tables built")
    if w.support_ops and w.chunk == 0:
        support_ops.tables(w)
        say("support operations tables built")

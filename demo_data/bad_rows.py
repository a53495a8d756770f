"""The planted contract violations: bad rows added to (or, for off-scale scores, altered in)
each generated table, so that the warehouse's quarantine has something known to catch.

Every bad row breaks exactly one rule of the raw contract, gets a fresh key that nothing
references, and is counted per table and reason. Key columns come from `ingest/contract.py`.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from demo_data.arrays import ids, nullable, strings
from demo_data.vocab import OFF_SCALE
from demo_data.writer import Spilled
from ingest import contract

# fmt: off
# Bad-row reasons planted per table (each bad row breaks exactly one rule).
BAD_ROW_REASONS: dict[str, tuple[str, ...]] = {
    "crm.accounts": ("missing_key", "duplicate_key", "invalid_timestamp"),
    "crm.contacts": ("missing_key", "duplicate_key", "invalid_timestamp", "orphan_reference"),
    "crm.orders": ("missing_key", "duplicate_key", "invalid_timestamp", "orphan_reference"),
    "crm.invoices": ("missing_key", "duplicate_key", "invalid_timestamp", "orphan_reference"),
    "ticketing.tickets": ("missing_key", "duplicate_key", "invalid_timestamp"),
    "ticketing.ticket_events": (
        "missing_key", "duplicate_key", "invalid_timestamp", "orphan_reference",
    ),
    "survey.surveys": ("missing_key", "duplicate_key"),
    "survey.questions": ("missing_key", "duplicate_key", "orphan_reference"),
    "survey.responses": ("missing_key", "duplicate_key", "invalid_timestamp", "orphan_reference"),
    "survey.answers": ("missing_key", "duplicate_key", "score_out_of_range", "orphan_reference"),
}

# Values no engine parses as a timestamp (DuckDB try_cast, the PostgreSQL UDF, Spark):
# impossible months / days / hours, or words. Words that PostgreSQL or DuckDB *do* read
# ('now', 'epoch', 'infinity') are avoided; 'yesterday' is only safe because the loaders demand
# a leading date. Strings CSV readers take for NULL by default ('n/a', 'NA', 'null') are
# avoided too: pyarrow reads them as NULL even when quoted.
BAD_TIMESTAMPS = (
    "2026-13-45T99:00",
    "yesterday",
    "2026-02-30T10:00:00Z",
    "31/02/2026 25:61",
    "TBD",
    "2026-06-31T08:00:00Z",
    "soon",
)

# The id scheme (prefix, digits) of each table's own single-column key: fresh keys of bad rows
# follow it, numbered after the table's rows. The answers' key is composite (no fresh keys).
KEY_FORMAT = {
    "crm.accounts": ("ACC-", 6),
    "crm.contacts": ("CON-", 7),
    "crm.orders": ("ORD-", 7),
    "crm.invoices": ("INV-", 7),
    "ticketing.tickets": ("TKT-", 7),
    "ticketing.ticket_events": ("EVT-", 8),
    "survey.surveys": ("SRV-X", 4),
    "survey.questions": ("QST-", 3),
    "survey.responses": ("RSP-", 7),
}
TIMESTAMP_COLUMN = {
    "crm.accounts": "created_at", "crm.contacts": "created_at", "crm.orders": "ordered_at",
    "crm.invoices": "issued_at", "ticketing.tickets": "created_at",
    "ticketing.ticket_events": "created_at", "survey.responses": "submitted_at",
}
# column -> (prefix, width) of the ids it points at; the unknown ids never exist
REFERENCE = {
    "crm.contacts": [("account_id", "ACC-", 6)],
    "crm.orders": [("account_id", "ACC-", 6)],
    "crm.invoices": [("account_id", "ACC-", 6)],
    "ticketing.ticket_events": [("ticket_id", "TKT-", 7)],
    "survey.questions": [("survey_id", "SRV-X", 4)],
    "survey.responses": [("survey_id", "SRV-X", 4)],
    "survey.answers": [("response_id", "RSP-", 7), ("question_id", "QST-", 3)],
}
# fmt: on


def _split(total: int, k: int) -> list[int]:
    return [total // k + (1 if i < total % k else 0) for i in range(k)]


def _with_column(tbl: pa.Table, name: str, values: pa.Array) -> pa.Table:
    i = tbl.schema.get_field_index(name)
    return tbl.set_column(i, tbl.schema.field(i), values.cast(tbl.schema.field(i).type))


def plant(
    name: str,
    tbl: pa.Table | Spilled,
    share: float,
    r: np.random.Generator,
    measure: np.ndarray | None = None,
    first_key: int = 0,
) -> tuple[Merged, dict[str, int]]:
    """Add (or, for off-scale scores, alter) rows so that ~`share` of the table's rows break
    exactly one contract rule each. Bad rows get fresh keys that nothing references, so no
    valid row depends on a bad one; a duplicate is an exact copy placed after its original.

    The table's valid keys are numbered `first_key + 1 ..` (a later chunk of accounts); fresh
    keys follow them. `Merged.keys_used` says how many fresh keys were taken."""
    reasons = BAD_ROW_REASONS[name]
    counts = dict.fromkeys(reasons, 0)
    n = tbl.num_rows
    if share <= 0 or n == 0:
        return Merged(tbl), counts
    total = int(round(share * n / (1.0 - share)))
    for reason, k in zip(reasons, _split(total, len(reasons)), strict=True):
        counts[reason] = k
    if name == "survey.answers":
        counts["score_out_of_range"] = min(
            counts["score_out_of_range"], int((measure != "comment").sum())
        )
    counts["duplicate_key"] = min(counts["duplicate_key"], n)

    altered = np.zeros(n, dtype=bool)
    if counts.get("score_out_of_range"):
        numeric = np.flatnonzero(measure != "comment")
        hit = np.sort(r.choice(numeric, counts["score_out_of_range"], replace=False))
        vals = tbl.column("numeric_value").to_numpy(zero_copy_only=False).copy()
        for mname, options in OFF_SCALE.items():  # loop over measures, not rows
            m = measure[hit] == mname
            vals[hit[m]] = np.array(options, dtype=float)[r.integers(len(options), size=m.sum())]
        altered[hit] = True
        tbl = _with_column(tbl, "numeric_value", pa.array(vals, pa.float64(), mask=np.isnan(vals)))

    pieces: list[pa.Table] = []
    positions: list[np.ndarray] = []
    fresh = first_key + n + 1  # next unused key number in the table's own id scheme
    key = contract.table(name).key

    def fresh_keys(k: int) -> pa.Array:
        nonlocal fresh
        prefix, width = KEY_FORMAT[name]
        out = ids(prefix, np.arange(fresh, fresh + k), width)
        fresh += k
        return out

    def templates(k: int) -> tuple[pa.Table, np.ndarray]:
        idx = np.sort(r.integers(n, size=k))
        return tbl.take(pa.array(idx)), idx

    for reason in reasons:
        k = counts[reason]
        if k == 0 or reason == "score_out_of_range":
            continue
        if reason == "duplicate_key":
            pool = np.flatnonzero(~altered)
            idx = np.sort(r.choice(pool, min(k, pool.size), replace=False))
            pieces.append(tbl.take(pa.array(idx)))
            positions.append(idx + 0.5 + r.random(idx.size) * (n - idx - 0.5))
            continue
        rows, _ = templates(k)
        if reason == "missing_key":
            if len(key) > 1:  # answers: one part of the composite key is missing
                col = np.arange(k) % len(key)
                for ci, cname in enumerate(key):
                    rows = _with_column(
                        rows, cname, nullable(rows.column(cname).combine_chunks(), col != ci)
                    )
            else:
                rows = _with_column(rows, key[0], pa.nulls(k, pa.string()))
        elif reason == "invalid_timestamp":
            rows = _with_column(rows, key[0], fresh_keys(k))
            bad = strings(BAD_TIMESTAMPS, r.integers(len(BAD_TIMESTAMPS), size=k))
            rows = _with_column(rows, TIMESTAMP_COLUMN[name], bad)
        elif reason == "orphan_reference":
            if len(key) == 1:
                rows = _with_column(rows, key[0], fresh_keys(k))
            refs = REFERENCE[name]
            which = np.arange(k) % len(refs)
            for ri, (col, prefix, width) in enumerate(refs):
                ghost = ids(prefix, 9_000_000 + r.integers(1_000_000, size=k), width)
                current = rows.column(col).combine_chunks()
                rows = _with_column(rows, col, pc.if_else(pa.array(which == ri), ghost, current))
        pieces.append(rows)
        positions.append(r.random(k) * n)
    if not pieces:
        return Merged(tbl), counts
    used = fresh - (first_key + n + 1)
    # The file order is a stable sort of the valid rows (at 0, 1, ..., n - 1) and the bad rows
    # (at their drawn positions); a valid row goes first on a tie. Kept as insertion points so
    # that the full table is never copied: `Merged.batches` materialises a batch at a time.
    bad_pos = np.concatenate(positions)
    order = np.argsort(bad_pos, kind="stable")
    valid_before = np.minimum(np.floor(bad_pos[order]).astype(np.int64) + 1, n)
    at = valid_before + np.arange(order.size)
    merged = Merged(tbl, pa.concat_tables(pieces).take(pa.array(order)), at)
    merged.keys_used = used
    return merged, counts


class Merged:
    """A generated table (in memory or spilled to disk) with its bad rows inserted at output
    positions `at` (ascending)."""

    def __init__(
        self, base: pa.Table | Spilled, bad: pa.Table | None = None, at: np.ndarray | None = None
    ) -> None:
        self.base = base
        self.bad = bad if bad is not None else base.schema.empty_table()
        self.at = at if at is not None else np.zeros(0, np.int64)
        self.keys_used = 0  # fresh keys given to bad rows (after the valid rows' keys)

    @property
    def num_rows(self) -> int:
        return self.base.num_rows + self.bad.num_rows

    def batches(self, size: int) -> Iterator[pa.Table]:
        """The rows in file order, `size` at a time (at least one batch, maybe empty)."""
        total = self.num_rows
        base = self.base
        read = base.reader() if isinstance(base, Spilled) else lambda a, b: base.slice(a, b - a)
        for start in range(0, max(total, 1), size):
            stop = min(start + size, total)
            lo, hi = np.searchsorted(self.at, [start, stop])
            valid = read(start - lo, stop - hi)
            if hi == lo:
                yield valid
                continue
            is_bad = np.zeros(stop - start, dtype=bool)
            is_bad[self.at[lo:hi] - start] = True
            idx = np.empty(stop - start, dtype=np.int64)
            idx[~is_bad] = np.arange(valid.num_rows)
            idx[is_bad] = valid.num_rows + np.arange(hi - lo)
            yield pa.concat_tables([valid, self.bad.slice(lo, hi - lo)]).take(pa.array(idx))

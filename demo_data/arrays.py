"""Small vectorised helpers shared by the source-system modules: time arithmetic, grouping,
weighted picks, and Arrow string builders (ids, e-mail variants, ISO timestamps, money).

No Python loop over rows: every helper works on whole numpy / Arrow arrays.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import UTC, date, datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from demo_data.vocab import CHANNELS, RAW_CUM, RAW_OFFSET, RAW_VOCAB

DAY = 86_400.0
HOUR = 3_600.0
MINUTE = 60.0
YEAR = 365.0 * DAY


def epoch(d: date) -> float:
    return datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp()


def minus_months(d: date, months: int) -> date:
    y, m = divmod(d.year * 12 + (d.month - 1) - months, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def groups(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Owner index and position within the owner for `counts[i]` children of each owner."""
    counts = np.asarray(counts, dtype=np.int64)
    owner = np.repeat(np.arange(counts.size), counts)
    starts = np.cumsum(counts) - counts
    return owner, np.arange(owner.size) - starts[owner]


def chunk_bounds(n: int, step: int) -> Iterator[tuple[int, int]]:
    """The rows [a, b) of `n` rows, `step` at a time (one empty chunk when n is 0)."""
    for a in range(0, max(n, 1), step):
        yield a, min(a + step, n)


def pick(rng: np.random.Generator, weights: tuple[float, ...], size: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(p.size, size=size, p=p / p.sum())


def strings(vocab: tuple[str, ...] | list[str], idx: np.ndarray) -> pa.Array:
    return pa.array(list(vocab), pa.string()).take(pa.array(np.asarray(idx, dtype=np.int64)))


def ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    digits = pa.array(np.asarray(numbers, dtype=np.int64)).cast(pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(digits, width=width, padding="0"), "")


def nullable(arr: pa.Array, valid: np.ndarray) -> pa.Array:
    if valid.all():
        return arr
    return pc.if_else(pa.array(valid), arr, pa.scalar(None, arr.type))


def join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def raw_channels(rng: np.random.Generator, canon: np.ndarray) -> pa.Array:
    """A raw channel code (with case / space variants) for every canonical channel index."""
    u = rng.random(canon.size)
    out = np.zeros(canon.size, dtype=np.int64)
    for c in range(len(CHANNELS)):
        m = canon == c
        if m.any():
            k = np.searchsorted(RAW_CUM[c], u[m], side="right")
            out[m] = RAW_OFFSET[c] + np.minimum(k, len(RAW_CUM[c]) - 1)
    return RAW_VOCAB.take(pa.array(out))


def channel_mix(rng: np.random.Generator, size: int, weights: dict[str, float]) -> np.ndarray:
    p = np.array([weights.get(c, 0.0) for c in CHANNELS], dtype=float)
    return rng.choice(len(CHANNELS), size=size, p=p / p.sum())


def email_variants(
    rng: np.random.Generator, emails: pa.Array, p_case: float, p_space: float
) -> pa.Array:
    """The same address, differing only by case or surrounding spaces for a share of rows."""
    n = len(emails)
    u = rng.random(n)
    style = np.zeros(n, dtype=np.int8)
    style[u < p_case * 0.6] = 1
    style[(u >= p_case * 0.6) & (u < p_case)] = 2
    style[(u >= p_case) & (u < p_case + p_space * 0.5)] = 3
    style[(u >= p_case + p_space * 0.5) & (u < p_case + p_space)] = 4
    return pc.choose(
        pa.array(style),
        emails,
        pc.utf8_title(emails),
        pc.utf8_upper(emails),
        join(" ", emails),
        join(emails, "  "),
    )


def timestamps(
    rng: np.random.Generator, secs: np.ndarray, valid: np.ndarray | None = None
) -> pa.Array:
    """ISO 8601 text: ~70 % with 'Z', ~27 % without offset (UTC), ~3 % with +02:00 / -05:00
    (the local wall time of the same instant, so UTC conversion is exercised)."""
    secs = np.asarray(secs, dtype=float)
    n = secs.size
    if valid is None:
        valid = np.ones(n, dtype=bool)
    u = rng.random(n)
    style = np.where(u < 0.70, 0, np.where(u < 0.97, 1, np.where(u < 0.985, 2, 3)))
    shift = np.array([0.0, 0.0, 2 * HOUR, -5 * HOUR])[style]
    local = np.where(valid, np.floor(secs) + shift, 0).astype(np.int64)
    ts = pa.array(local, pa.int64(), mask=~valid).cast(pa.timestamp("s"))
    text = pc.strftime(ts, format="%Y-%m-%dT%H:%M:%S")
    suffix = strings(("Z", "", "+02:00", "-05:00"), style)
    return join(text, suffix)


def money(cents: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """decimal(14, 2) straight from integer cents (exact, no float rounding)."""
    cents = np.asarray(cents, dtype=np.int64)
    raw = np.empty((cents.size, 2), dtype=np.int64)
    raw[:, 0] = cents
    raw[:, 1] = cents >> 63
    arr = pa.Array.from_buffers(pa.decimal128(14, 2), cents.size, [None, pa.py_buffer(raw)])
    return arr if valid is None else nullable(arr, valid)


def rank01(x: np.ndarray) -> np.ndarray:
    order = np.argsort(x, kind="stable")
    rank = np.empty(x.size, dtype=float)
    rank[order] = (np.arange(x.size) + 0.5) / max(x.size, 1)
    return rank


def lognormal(rng: np.random.Generator, median: np.ndarray | float, sigma: float, size: int):
    return np.asarray(median) * np.exp(sigma * rng.standard_normal(size))


# Drawing one stream in pieces. `Generator.random` takes exactly one 64-bit output per double,
# so the k doubles that `rng.random(m)` would return at positions [e, e + k) are `random(k)` of a
# copy of the stream moved on by e (PCG64 `advance`): a table can be built in chunks with the
# same numbers as in one go. Only for uniform doubles (`random`, and helpers built on it).
def generator_at(state: dict, offset: int) -> np.random.Generator:
    """A new generator at `offset` doubles after the bit-generator `state`."""
    bits = np.random.PCG64()
    bits.state = state
    bits.advance(offset)
    return np.random.Generator(bits)


def skip_uniform(rng: np.random.Generator, count: int) -> None:
    """Moves `rng` on as if `rng.random(count)` had been drawn (its buffered 32-bit half, which
    doubles never touch, is kept)."""
    before = rng.bit_generator.state
    rng.bit_generator.advance(count)
    after = rng.bit_generator.state
    after["has_uint32"], after["uinteger"] = before["has_uint32"], before["uinteger"]
    rng.bit_generator.state = after

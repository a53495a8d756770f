"""The demo world behind every source system: the window, one random stream per stage, and the
accounts and people (contacts) that CRM, ticketing and survey rows are about.

Accounts carry the latent facts that the planted truths hang on (segment, yearly spend and its
rank, billing irritation, churn); the source-system modules (`crm`, `ticketing`, `survey`) read
them and emit their tables through `World.emit`, in contract order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from demo_data.arrays import (
    DAY,
    HOUR,
    YEAR,
    epoch,
    groups,
    join,
    minus_months,
    pick,
    rank01,
    strings,
)
from demo_data.planted import PLANTED
from demo_data.vocab import (
    COMPANY_CORE,
    COMPANY_PREFIX,
    COUNTRIES,
    FIRST,
    FREEMAIL,
    LAST,
    QUIRKY_COMPANIES,
    SEG_P,
)
from demo_data.writer import contract_table

# One numpy SeedSequence child per stage, in this order (the order fixes every stream).
STAGES = (
    "accounts",
    "contacts",
    "orders",
    "invoices",
    "tickets",
    "events",
    "surveys",
    "text",
    "bad",
    "support",  # support operations (demo_data/support_ops.py); last, so no other stream moves
)

# receives each finished table, or an iterator of its chunks in file order
Sink = Callable[[str, pa.Table | Iterator[pa.Table]], None]

# The numbered ids, by kind: a world drawn for a later chunk of accounts numbers its rows after
# the earlier chunks' (`World.off`), so that ids are unique across chunks.
ID_KINDS = ("acc", "con", "ord", "inv", "tkt", "evt", "rsp")


def stage_seeds(seed: int, chunk: int) -> list[np.random.SeedSequence]:
    """One seed per stage for a chunk of accounts: chunk 0 gets `SeedSequence(seed)`'s first
    children (what a world of one chunk has always drawn), chunk k the k-th block of them."""
    first = chunk * len(STAGES)
    return [np.random.SeedSequence(seed, spawn_key=(first + i,)) for i in range(len(STAGES))]


class World:
    """The window, the random streams and the account / contact facts shared by the source
    systems. Facts are numpy arrays (or Arrow string arrays) in dicts: `a` accounts, `c`
    contacts, and later `o` orders, `i` invoices, `t` tickets, set by the system modules."""

    def __init__(
        self,
        accounts: int,
        seed: int,
        end_date: date,
        months: int,
        sink: Sink | None = None,
        *,
        support_ops: bool = False,
        chunk: int = 0,
        offsets: Mapping[str, int] | None = None,
        shared: dict | None = None,
    ) -> None:
        seqs = stage_seeds(seed, chunk)
        self.rngs = {name: np.random.default_rng(s) for name, s in zip(STAGES, seqs, strict=True)}
        # a chunk of accounts: its place, the id numbers taken by the earlier chunks, and what
        # every chunk shares (drawn by the first: e.g. the agents' workload order)
        self.chunk = chunk
        self.off = dict.fromkeys(ID_KINDS, 0) | dict(offsets or {})
        self.shared = shared if shared is not None else {}
        self.n = accounts
        self.end_date = end_date
        self.end_day = epoch(end_date)
        self.end = self.end_day + DAY - 1.0  # the last second of end_date, UTC
        self.start = epoch(minus_months(end_date, months))
        self.tables: dict[str, pa.Table] = {}
        self._sink = sink
        # numpy-side facts kept for later stages and for the bad rows
        self.answer_measure: np.ndarray | None = None
        # support operations (demo_data/support_ops.py): generated when asked; their routing
        self.support_ops = support_ops
        self.support = None

    def emit(self, name: str, columns: Mapping[str, pa.Array]) -> None:
        """Hands one finished table (checked against the contract) to the sink, or keeps it."""
        tbl = contract_table(name, columns)
        if self._sink is None:
            self.tables[name] = tbl
        else:
            self._sink(name, tbl)

    def emit_chunks(self, name: str, chunks: Iterable[Mapping[str, pa.Array]]) -> None:
        """Like `emit`, for a table built in chunks (in file order): the sink gets an iterator
        of tables and may write them as they come; without a sink they are kept as one."""
        tables = (contract_table(name, columns) for columns in chunks)
        if self._sink is None:
            self.tables[name] = pa.concat_tables(list(tables))
        else:
            self._sink(name, tables)

    def as_of(self) -> date:
        return self.end_date

    def populate(self) -> None:
        """Draws the accounts, then their people (before any source system's table)."""
        self.accounts()
        self.people()

    # ---------------------------------------------------------------- accounts
    def accounts(self) -> None:
        """Segment, country, creation, latent yearly spend and its rank, billing irritation
        (the planted hotspot), churn, company name and domain of every account."""
        r, n = self.rngs["accounts"], self.n
        seg = pick(r, SEG_P, n)
        country = pick(r, tuple(c[1] for c in COUNTRIES), n)
        in_window = r.random(n) < 0.30
        span = max(self.end - 30 * DAY - self.start, DAY)
        created = np.where(
            in_window,
            self.start + r.random(n) * span,
            self.start - HOUR - r.random(n) * 6 * YEAR,
        )
        # latent yearly spend: heavy-tailed, enterprise highest
        median = np.array([45_000.0, 4_000.0, 300.0])[seg]
        sigma = np.array([0.9, 0.8, 0.7])[seg]
        value = median * np.exp(sigma * r.standard_normal(n))
        rank = rank01(value)
        p = PLANTED
        p_irr = p.irritated_share_low + (p.irritated_share_high - p.irritated_share_low) * np.clip(
            (rank - p.irritated_rank_from) / (p.irritated_rank_to - p.irritated_rank_from), 0, 1
        )
        irritated = r.random(n) < p_irr
        churns = r.random(n) < 0.10
        churn_at = self.start + 60 * DAY + r.random(n) * max(self.end - self.start - 60 * DAY, DAY)
        churn_at = np.maximum(churn_at, created + 90 * DAY)
        churn_at = np.where(churns & (churn_at < self.end), churn_at, np.inf)

        pre = r.integers(len(COMPANY_PREFIX), size=n)
        core = r.integers(len(COMPANY_CORE), size=n)
        quirky = r.random(n) < 0.02
        quirk = r.integers(len(QUIRKY_COMPANIES), size=n)
        suffix = strings([c[3] for c in COUNTRIES], country)
        company = join(
            strings([x[0] for x in COMPANY_PREFIX], pre),
            " ",
            strings([x[0] for x in COMPANY_CORE], core),
            " ",
            suffix,
        )
        company = pc.if_else(pa.array(quirky), strings(QUIRKY_COMPANIES, quirk), company)
        domain = join(
            strings([x[1] for x in COMPANY_PREFIX], pre),
            "-",
            strings([x[1] for x in COMPANY_CORE], core),
            ".",
            strings([c[4] for c in COUNTRIES], country),
        )
        self.a = dict(
            seg=seg,
            country=country,
            created=created,
            value=value,
            rank=rank,
            irritated=irritated,
            churn=churn_at,
            company=company,
            domain=domain,
        )

    # ---------------------------------------------------------------- people
    def people(self) -> None:
        """The contacts of every account: who pays (billing contacts), when they appear, their
        names, e-mail addresses and phones."""
        r, a, n = self.rngs["contacts"], self.a, self.n
        seg = a["seg"]
        count = np.where(
            seg == 0,
            5 + r.poisson(9, n),
            np.where(seg == 1, 2 + r.poisson(3, n), 1 + (r.random(n) < 0.45)),
        )
        acc, k = groups(count)
        m = acc.size
        first = np.cumsum(count) - count  # the first contact of each account (a payer)
        billing = (k == 0) | ((seg[acc] == 0) & (k == 1)) | (r.random(m) < 0.03)
        acc_created = a["created"][acc]
        created = np.where(
            k == 0,
            acc_created + r.random(m) * 2 * DAY,
            acc_created + r.random(m) * np.maximum(self.end - DAY - acc_created, HOUR),
        )
        created = np.minimum(created, self.end - HOUR)
        fi = r.integers(len(FIRST), size=m)
        li = r.integers(len(LAST), size=m)
        full_name = join(strings([x[0] for x in FIRST], fi), " ", strings([x[0] for x in LAST], li))
        company_domain = a["domain"].take(pa.array(acc))
        free = strings(FREEMAIL, r.integers(len(FREEMAIL), size=m))
        domain = pc.if_else(pa.array(seg[acc] == 2), free, company_domain)
        # unique by construction: the contact number is part of the local part
        email = join(
            strings([x[1] for x in FIRST], fi),
            ".",
            strings([x[1] for x in LAST], li),
            pa.array(np.arange(1, m + 1) + self.off["con"]).cast(pa.string()),
            "@",
            domain,
        )
        has_phone = r.random(m) < 0.65
        phone = join(
            strings([c[2] for c in COUNTRIES], a["country"][acc]),
            " ",
            pa.array(r.integers(200_000_000, 999_999_999, size=m)).cast(pa.string()),
        )
        self.c = dict(
            acc=acc,
            k=k,
            first=first,
            count=count,
            billing=billing,
            created=created,
            email=email,
            full_name=full_name,
            phone=phone,
            has_phone=has_phone,
        )

    def payer(self, r: np.random.Generator, acc: np.ndarray, at: np.ndarray) -> np.ndarray:
        """A billing contact of each account (enterprise accounts have two) existing at `at`."""
        c = self.c
        second = (self.a["seg"][acc] == 0) & (r.random(acc.size) < 0.4)
        chosen = c["first"][acc] + second.astype(np.int64)
        return np.where(c["created"][chosen] <= at, chosen, c["first"][acc])

    def any_contact(self, r: np.random.Generator, acc: np.ndarray, at: np.ndarray) -> np.ndarray:
        """A random contact of each account that exists at time `at` (else its first payer)."""
        c = self.c
        chosen = c["first"][acc] + np.floor(r.random(acc.size) * c["count"][acc]).astype(np.int64)
        return np.where(c["created"][chosen] <= at, chosen, c["first"][acc])

"""CRM: `crm.accounts`, `crm.contacts`, `crm.orders` and `crm.invoices`.

Orders are new contracts, yearly renewals, upgrades, one-off purchases and refunds; invoices
follow paying orders (instalments for large contracts, a few fee invoices without an order),
with disputes and late or missing payments concentrated on billing-irritated accounts (the
planted billing hotspot).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from demo_data.arrays import (
    DAY,
    HOUR,
    YEAR,
    channel_mix,
    email_variants,
    groups,
    ids,
    lognormal,
    money,
    nullable,
    raw_channels,
    strings,
    timestamps,
)
from demo_data.planted import PLANTED
from demo_data.vocab import COUNTRIES, ORDER_TYPES, SEGMENTS
from demo_data.world import World


def build(w: World) -> None:
    """Emits the four CRM tables in contract order (the world's accounts and people drawn)."""
    accounts_and_contacts(w)
    orders(w)
    invoices(w)


def accounts_and_contacts(w: World) -> None:
    """The two entity tables, from the world's accounts and people."""
    a, c, n = w.a, w.c, w.n
    seg, acc, m = a["seg"], c["acc"], c["acc"].size
    # consumer accounts are named after their first contact
    consumer_name = c["full_name"].take(pa.array(c["first"]))
    account_name = pc.if_else(pa.array(seg == 2), consumer_name, a["company"])

    rt, off = w.rngs["text"], w.off
    w.emit(
        "crm.accounts",
        {
            "account_id": ids("ACC-", np.arange(1, n + 1) + off["acc"], 6),
            "account_name": account_name,
            "segment": strings(SEGMENTS, seg),
            "country": strings([x[0] for x in COUNTRIES], a["country"]),
            "created_at": timestamps(rt, a["created"]),
        },
    )
    w.emit(
        "crm.contacts",
        {
            "contact_id": ids("CON-", np.arange(1, m + 1) + off["con"], 7),
            "account_id": ids("ACC-", acc + 1 + off["acc"], 6),
            "email": email_variants(rt, c["email"], 0.04, 0.0),
            "full_name": c["full_name"],
            "phone": nullable(c["phone"], c["has_phone"]),
            "is_billing_contact": pa.array(c["billing"]),
            "created_at": timestamps(rt, c["created"]),
        },
    )
    # written once: the later systems need neither names nor phones nor company domains
    for key in ("full_name", "phone", "has_phone"):
        del c[key]
    for key in ("company", "domain"):
        del a[key]


# ---------------------------------------------------------------- crm.orders
def orders(w: World) -> None:
    """New contracts, renewals, upgrades, one-offs and refunds, in time order."""
    r, a = w.rngs["orders"], w.a
    seg, created, value = a["seg"], a["created"], a["value"]
    limit = np.minimum(w.end, a["churn"])
    # new contracts of accounts created inside the window
    new_acc = np.flatnonzero(created >= w.start)
    new_t = created[new_acc] + (0.1 + r.random(new_acc.size) * 4.9) * DAY
    new_amt = value[new_acc] * r.uniform(0.85, 1.10, new_acc.size)
    # yearly renewals on the anniversary of the account
    j0 = np.maximum(1, np.ceil((w.start - created) / YEAR)).astype(np.int64)
    j1 = np.floor((limit - created) / YEAR).astype(np.int64)
    ren_acc, pos = groups(np.clip(j1 - j0 + 1, 0, None))
    j = j0[ren_acc] + pos
    ren_t = created[ren_acc] + j * YEAR + r.random(ren_acc.size) * 2 * DAY
    ren_amt = (
        value[ren_acc] * 1.03 ** np.minimum(j, 10) * np.exp(0.08 * r.standard_normal(ren_acc.size))
    )
    # upgrades and one-off purchases while the account is active in the window
    a0 = np.maximum(w.start, created)
    years = np.clip(limit - a0, 0, None) / YEAR
    up_acc, _ = groups(r.poisson(np.array([0.5, 0.35, 0.08])[seg] * years))
    up_t = a0[up_acc] + r.random(up_acc.size) * (limit - a0)[up_acc]
    up_amt = value[up_acc] * r.uniform(0.1, 0.4, up_acc.size)
    one_acc, _ = groups(r.poisson(np.array([2.5, 1.5, 1.2])[seg] * years))
    one_t = a0[one_acc] + r.random(one_acc.size) * (limit - a0)[one_acc]
    one_amt = np.maximum(value[one_acc] * lognormal(r, 0.06, 0.8, one_acc.size), 5.0)

    acc = np.concatenate([new_acc, ren_acc, up_acc, one_acc])
    otype = np.concatenate(
        [
            np.full(new_acc.size, 0),
            np.full(ren_acc.size, 1),
            np.full(up_acc.size, 2),
            np.full(one_acc.size, 3),
        ]
    )
    t = np.concatenate([new_t, ren_t, up_t, one_t])
    amt = np.concatenate([new_amt, ren_amt, up_amt, one_amt])
    keep = t <= w.end
    acc, otype, t, amt = acc[keep], otype[keep], t[keep], amt[keep]
    contact = np.where(otype == 3, w.any_contact(r, acc, t), w.payer(r, acc, t))
    contact = np.where(w.c["created"][contact] <= t, contact, w.c["first"][acc])
    contact = np.where((otype == 3) & (r.random(acc.size) < 0.08), -1, contact)
    contact = np.where((otype == 1) & (r.random(acc.size) < 0.03), -1, contact)
    canon = np.where(
        seg[acc] == 2,
        channel_mix(
            r,
            acc.size,
            {
                "web": 45,
                "store": 20,
                "phone": 10,
                "chat": 10,
                "social": 6,
                "email": 6,
                "partner": 3,
                "unknown": 0.2,
            },
        ),
        channel_mix(
            r,
            acc.size,
            {
                "partner": 22,
                "email": 22,
                "phone": 20,
                "web": 22,
                "store": 5,
                "chat": 5,
                "social": 4,
                "unknown": 0.2,
            },
        ),
    )
    # refunds: a negative one_off some days after a few one-off purchases
    ref = np.flatnonzero((otype == 3) & (r.random(acc.size) < 0.03))
    ref_t = t[ref] + (2 + r.random(ref.size) * 28) * DAY
    ref = ref[ref_t <= w.end]
    ref_t = ref_t[ref_t <= w.end]
    ref_amt = -amt[ref] * np.where(r.random(ref.size) < 0.7, 1.0, 0.5)
    acc = np.concatenate([acc, acc[ref]])
    otype = np.concatenate([otype, otype[ref]])
    t = np.concatenate([t, ref_t])
    cents = np.round(np.concatenate([amt, ref_amt]) * 100).astype(np.int64)
    contact = np.concatenate([contact, contact[ref]])
    canon = np.concatenate([canon, canon[ref]])
    order = np.argsort(t, kind="stable")
    acc, otype, t, cents, contact, canon = (
        x[order] for x in (acc, otype, t, cents, contact, canon)
    )
    w.o = dict(acc=acc, type=otype, t=t, cents=cents, contact=contact, canon=canon)
    m, off = acc.size, w.off
    w.emit(
        "crm.orders",
        {
            "order_id": ids("ORD-", np.arange(1, m + 1) + off["ord"], 7),
            "account_id": ids("ACC-", acc + 1 + off["acc"], 6),
            "contact_id": nullable(ids("CON-", contact + 1 + off["con"], 7), contact >= 0),
            "order_type": strings(ORDER_TYPES, otype),
            "ordered_at": timestamps(w.rngs["text"], t),
            "amount": money(cents),
            "currency": pa.array(np.full(m, "EUR")),
            "channel": raw_channels(r, canon),
        },
    )


# ---------------------------------------------------------------- crm.invoices
def invoices(w: World) -> None:
    """One invoice per paying order (or four instalments), plus fee invoices without one."""
    r, a, o = w.rngs["invoices"], w.a, w.o
    seg = a["seg"]
    paying = np.flatnonzero(o["cents"] > 0)  # refunds are credited, not invoiced
    big = (seg[o["acc"][paying]] == 0) & (o["type"][paying] <= 1)
    parts = np.where(big & (r.random(paying.size) < 0.5), 4, 1)
    owner, inst = groups(parts)
    order_idx = paying[owner]
    issued = o["t"][order_idx] + r.random(owner.size) * 2 * DAY + inst * 91 * DAY
    base = o["cents"][order_idx] // parts[owner]
    cents = np.where(
        inst == parts[owner] - 1, o["cents"][order_idx] - base * (parts[owner] - 1), base
    )
    acc = o["acc"][order_idx]
    # a few invoices without an order (fees, adjustments)
    extra = max(int(round(0.02 * owner.size)), 0)
    x_acc = r.integers(w.n, size=extra)
    x_from = np.maximum(w.start, a["created"][x_acc])
    x_issued = x_from + r.random(extra) * np.maximum(w.end - x_from, HOUR)
    x_cents = np.round(r.uniform(25, 300, extra) * 100).astype(np.int64)
    acc = np.concatenate([acc, x_acc])
    order_idx = np.concatenate([order_idx, np.full(extra, -1)])
    issued = np.concatenate([issued, x_issued])
    cents = np.concatenate([cents, x_cents])
    keep = issued <= w.end
    acc, order_idx, issued, cents = acc[keep], order_idx[keep], issued[keep], cents[keep]
    m = acc.size
    terms = (
        np.where(
            seg[acc] == 0, np.where(r.random(m) < 0.5, 45, 60), np.where(seg[acc] == 1, 30, 14)
        )
        * DAY
    )
    due = issued + terms
    p = PLANTED
    irr = a["irritated"][acc]
    disputed = r.random(m) < np.where(irr, p.dispute_rate_irritated, p.dispute_rate_other)
    p_unpaid = np.where(disputed, 0.30, np.where(irr, p.unpaid_rate_irritated, p.unpaid_rate_other))
    p_late = np.where(
        disputed,
        0.55,
        np.where(irr, p.late_rate_irritated, np.where(seg[acc] == 2, 0.03, p.late_rate_other)),
    )
    u = r.random(m)
    unpaid = u < p_unpaid
    late = ~unpaid & (u < p_unpaid + p_late)
    paid = np.where(
        late, due + lognormal(r, 20 * DAY, 0.7, m), issued + r.uniform(0.05, 0.95, m) * terms
    )
    paid_ok = ~unpaid & (paid <= w.end)
    order = np.argsort(issued, kind="stable")
    acc, order_idx, issued, cents, due, paid, paid_ok, disputed = (
        x[order] for x in (acc, order_idx, issued, cents, due, paid, paid_ok, disputed)
    )
    w.i = dict(acc=acc, issued=issued, disputed=disputed)
    rt, off = w.rngs["text"], w.off
    w.emit(
        "crm.invoices",
        {
            "invoice_id": ids("INV-", np.arange(1, m + 1) + off["inv"], 7),
            "account_id": ids("ACC-", acc + 1 + off["acc"], 6),
            "order_id": nullable(ids("ORD-", order_idx + 1 + off["ord"], 7), order_idx >= 0),
            "issued_at": timestamps(rt, issued),
            "due_at": timestamps(rt, due),
            "paid_at": timestamps(rt, paid, paid_ok),
            "amount": money(cents),
            "is_disputed": pa.array(disputed),
        },
    )

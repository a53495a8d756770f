"""Ticketing: `ticketing.tickets` and `ticketing.ticket_events`.

Tickets come in episodes (background contacts, invoice disputes, the extra billing episodes of
billing-irritated accounts, cancellations, pre-sales and onboarding), some of which become
repeat chains; each ticket gets a lifecycle of events (replies, notes, solves, reopens, close).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from demo_data import support_ops
from demo_data.arrays import (
    DAY,
    HOUR,
    MINUTE,
    YEAR,
    channel_mix,
    chunk_bounds,
    email_variants,
    generator_at,
    groups,
    ids,
    join,
    lognormal,
    nullable,
    pick,
    raw_channels,
    skip_uniform,
    strings,
    timestamps,
)
from demo_data.planted import PLANTED
from demo_data.vocab import (
    AUTHOR_ROLES,
    BILLING_CATS,
    CAT,
    CAT_P_PAYER,
    CAT_P_USER,
    CATEGORIES,
    CH,
    EVENT_TYPES,
    FIRST,
    FREEMAIL,
    LAST,
    PRIORITIES,
    ROOT_CAUSES,
    STATUSES,
)
from demo_data.world import World


def build(w: World) -> None:
    """Emits the tickets, then their events (contract order); keeps `w.t` for the surveys."""
    chunks, lifecycle = tickets(w)
    w.emit_chunks("ticketing.tickets", chunks)
    del chunks, w.i  # the invoices' facts served the dispute episodes only
    chunks = events(w, *lifecycle)
    del lifecycle  # the chunks hold what they need, and free it once built
    w.emit_chunks("ticketing.ticket_events", chunks)


# ---------------------------------------------------------------- ticketing.tickets
def episode_starts(w: World, r: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Who starts an episode (contact row), when, and about what (category index)."""
    a, c = w.a, w.c
    seg = a["seg"]
    # (a) background episodes of every contact while it and its account are active
    c_acc = c["acc"]
    active_from = np.maximum(w.start, c["created"])
    active_to = np.minimum(w.end, a["churn"][c_acc] + 14 * DAY)
    years = np.clip(active_to - active_from, 0, None) / YEAR
    rate = np.array([0.7, 1.0, 0.9])[seg[c_acc]]
    bg_contact, _ = groups(r.poisson(rate * years))
    bg_t = (
        active_from[bg_contact] + r.random(bg_contact.size) * (active_to - active_from)[bg_contact]
    )
    payer = c["billing"][bg_contact]
    bg_cat = np.where(
        payer, pick(r, CAT_P_PAYER, bg_contact.size), pick(r, CAT_P_USER, bg_contact.size)
    )
    # (b) disputed invoices raise an invoice_dispute episode
    inv = w.i
    d_idx = np.flatnonzero(inv["disputed"] & (r.random(inv["disputed"].size) < 0.6))
    d_acc = inv["acc"][d_idx]
    d_t = inv["issued"][d_idx] + (1 + r.random(d_idx.size) * 24) * DAY
    d_contact = w.payer(r, d_acc, d_t)
    d_cat = np.full(d_idx.size, CAT["invoice_dispute"])
    # (c) billing-irritated accounts call about billing again and again
    irr_acc = np.flatnonzero(a["irritated"])
    a0 = np.maximum(w.start, a["created"][irr_acc])
    a1 = np.minimum(w.end, a["churn"][irr_acc])
    x_owner, _ = groups(r.poisson(0.8 * np.clip(a1 - a0, 0, None) / YEAR))
    x_acc = irr_acc[x_owner]
    x_t = a0[x_owner] + r.random(x_owner.size) * (a1 - a0)[x_owner]
    x_contact = w.payer(r, x_acc, x_t)
    x_cat = np.where(r.random(x_acc.size) < 0.7, CAT["billing"], CAT["invoice_dispute"])
    # (d) churning accounts cancel; (e) new accounts ask before buying; (f) and onboard
    ch_acc = np.flatnonzero(np.isfinite(a["churn"]) & (r.random(w.n) < 0.7))
    ch_t = a["churn"][ch_acc] - (1 + r.random(ch_acc.size) * 19) * DAY
    ch_contact = w.payer(r, ch_acc, ch_t)
    new_acc = np.flatnonzero(a["created"] >= w.start)
    ps_acc = new_acc[r.random(new_acc.size) < 0.4]
    ps_t = a["created"][ps_acc] - (1 + r.random(ps_acc.size) * 29) * DAY
    ob_acc = new_acc[r.random(new_acc.size) < 0.5]
    ob_t = a["created"][ob_acc] + (3 + r.random(ob_acc.size) * 37) * DAY
    # (g) one ticket on the end date itself, so the as-of date is the end date
    anchor = np.array([int(r.integers(c_acc.size))])
    anchor_t = np.array([w.end_day + (6 + r.random() * 10) * HOUR])

    person = np.concatenate(
        [
            bg_contact,
            d_contact,
            x_contact,
            ch_contact,
            c["first"][ps_acc],
            c["first"][ob_acc],
            anchor,
        ]
    )
    start = np.concatenate([bg_t, d_t, x_t, ch_t, ps_t, ob_t, anchor_t])
    cat = np.concatenate(
        [
            bg_cat,
            d_cat,
            x_cat,
            np.full(ch_acc.size, CAT["cancellation"]),
            np.full(ps_acc.size, CAT["pre_sales"]),
            np.full(ob_acc.size, CAT["onboarding"]),
            np.full(1, CAT["how_to"]),
        ]
    )
    keep = (start >= w.start) & (start <= w.end)
    return person[keep], start[keep], cat[keep]


def tickets(w: World) -> tuple[Iterator[dict[str, pa.Array]], tuple]:
    """Episodes become tickets (repeat chains of 2-4 for some), with channel, requester,
    priority, timings, status and root cause; then their events."""
    r, a, c = w.rngs["tickets"], w.a, w.c
    p = PLANTED
    person, start, cat = episode_starts(w, r)
    e = person.size
    acc = c["acc"][person]
    hot = a["irritated"][acc] & np.isin(cat, BILLING_CATS)
    billing_cat = np.isin(cat, BILLING_CATS)
    # ~3 % of episodes come from an address that matches no contact
    unmatched = r.random(e) < p.unmatched_email_share
    pool = max(int(0.6 * unmatched.sum()), 1)
    stranger = r.integers(pool, size=e)
    # repeat contacts: chains of 2-4 tickets of one person and one category, each within
    # 7 days of the previous one
    p_chain = np.where(hot, p.billing_chain_rate_irritated, np.where(billing_cat, 0.12, 0.05))
    extra = np.where(r.random(e) < p_chain, 1 + pick(r, (5, 3, 2), e), 0)
    ep, pos = groups(1 + extra)
    gap = np.where(pos > 0, (0.05 + r.random(ep.size) * 6.75) * DAY, 0.0)
    csum = np.cumsum(gap)
    first_of_episode = np.cumsum(1 + extra) - (1 + extra)
    created = start[ep] + csum - csum[first_of_episode][ep]
    keep = created <= w.end
    ep, pos, created = ep[keep], pos[keep], created[keep]
    order = np.lexsort((pos, ep, created))
    ep, pos, created = ep[order], pos[order], created[order]
    n = ep.size
    t_cat, t_hot, t_acc = cat[ep], hot[ep], acc[ep]
    # channel: people mostly stay with the channel they started the episode on
    ep_canon = channel_mix(
        r,
        e,
        {
            "email": 28,
            "phone": 20,
            "chat": 17,
            "web": 12,
            "social": 14,
            "store": 4,
            "partner": 4,
            "unknown": 0.3,
        },
    )
    other = channel_mix(
        r,
        n,
        {
            "email": 28,
            "phone": 20,
            "chat": 17,
            "web": 12,
            "social": 14,
            "store": 4,
            "partner": 4,
            "unknown": 0.3,
        },
    )
    canon = np.where(r.random(n) < 0.8, ep_canon[ep], other)
    # requester email: the contact's address in some case / space variant, or a stranger's
    rq = w.rngs["text"]
    contact_email = pc.utf8_lower(c["email"].take(pa.array(person[ep])))
    fi = stranger[ep] % len(FIRST)
    li = (stranger[ep] // len(FIRST)) % len(LAST)
    stranger_email = join(
        strings([x[1] for x in FIRST], fi),
        "_",
        strings([x[1] for x in LAST], li),
        pa.array(stranger[ep] + 1 + w.off["tkt"]).cast(pa.string()),  # not another chunk's
        "@",
        strings(FREEMAIL, stranger[ep] % len(FREEMAIL)),
    )
    norm_email = pc.if_else(pa.array(unmatched[ep]), stranger_email, contact_email)
    # priority, timing
    prio = np.where(
        t_hot,
        pick(r, (5, 40, 35, 20), n),
        np.where(
            t_cat == CAT["product_defect"],
            pick(r, (10, 45, 30, 15), n),
            pick(r, (22, 55, 17, 6), n),
        ),
    )
    fast = np.isin(canon, [CH["chat"], CH["phone"]])
    frt = lognormal(r, np.array([480.0, 180.0, 45.0, 15.0])[prio], 1.0, n) * MINUTE
    frt = np.where(fast, frt * 0.15, frt) + MINUTE
    slow = np.ones(n)
    slow[np.isin(t_cat, BILLING_CATS)] = 2.5
    slow[t_cat == CAT["contract"]] = 2.0
    slow[t_cat == CAT["delivery"]] = 1.5
    slow[t_hot] *= 1.5
    res = lognormal(r, np.array([48.0, 24.0, 10.0, 5.0])[prio] * slow, 1.0, n) * HOUR
    res = np.maximum(res, frt + 5 * MINUTE)
    res[r.random(n) < 0.004] = np.inf  # a small backlog that never gets solved
    first_reply = created + frt
    solved1 = created + res
    p_reopen = np.where(
        t_hot,
        p.billing_reopen_rate_irritated,
        np.where(np.isin(t_cat, BILLING_CATS), 0.10, 0.04),
    )
    reopen_t = solved1 + (0.1 + r.random(n) * 4.9) * DAY
    reply2 = reopen_t + frt * r.uniform(0.3, 1.0, n)
    solved2 = reply2 + res * r.uniform(0.2, 0.8, n)
    # reopened only when the second solve happened by the end date (so a ticket with a
    # solved event is always solved / closed and solved_at is its last solved event)
    reopened = (r.random(n) < p_reopen) & (solved2 <= w.end)
    is_solved = solved1 <= w.end
    solved_at = np.where(reopened, solved2, solved1)
    closed = is_solved & (w.end - solved_at > 4 * DAY) & (r.random(n) < 0.92)
    status = np.where(
        closed,
        4,
        np.where(
            is_solved,
            3,
            np.where(first_reply > w.end, 0, np.where(r.random(n) < 0.45, 2, 1)),
        ),
    )
    root = root_causes(r, t_cat)
    root_ok = r.random(n) >= np.where(is_solved, 0.22, 0.7)
    w.t = dict(
        ep=ep,
        pos=pos,
        created=created,
        cat=t_cat,
        hot=t_hot,
        acc=t_acc,
        canon=canon,
        norm_email=norm_email,
        reopened=reopened,
        is_solved=is_solved,
        solved_at=solved_at,
        unmatched=unmatched[ep],
        person=person[ep],
    )
    raw_channel = raw_channels(r, canon)
    w.t["raw_channel"] = raw_channel
    row = dict(
        norm_email=norm_email,
        channel=raw_channel,
        cat=t_cat,
        root=nullable(root, root_ok),
        prio=prio,
        status=status,
        created=created,
        solved_at=solved_at,
        is_solved=is_solved,
    )
    # support operations (optional columns): from their own stream, after the facts above
    w.support = support_ops.route(w, first_reply, solved1, is_solved) if w.support_ops else None
    chunks = _ticket_chunks(n, row, rq.bit_generator.state, w.support, w.off["tkt"])
    skip_uniform(rq, 3 * n)  # requester e-mails, then created_at, then solved_at
    # the table's chunks, and what the events need: this function's other arrays are freed
    return chunks, (
        created,
        first_reply,
        solved1,
        reopened,
        reopen_t,
        reply2,
        solved2,
        is_solved,
        closed,
        solved_at,
        t_hot,
        canon,
        raw_channel,
    )


TICKET_ROWS_PER_CHUNK = 1 << 17


def _ticket_chunks(
    n: int,
    row: dict,
    text_state: dict,
    support: support_ops.Routing | None = None,
    first_id: int = 0,
) -> Iterator[dict[str, pa.Array]]:
    """`ticketing.tickets` rows [a, b) at a time; the text stream's three blocks of n draws
    (e-mail variants, created_at, solved_at) are read at their offsets. With `support`, the
    optional support-operations columns follow the contract's. Ticket ids are numbered after
    `first_id` (the ids of earlier chunks of accounts)."""
    for a, b in chunk_bounds(n, TICKET_ROWS_PER_CHUNK):
        chunk = {
            "ticket_id": ids("TKT-", np.arange(a + 1, b + 1) + first_id, 7),
            "requester_email": email_variants(
                generator_at(text_state, a), row["norm_email"].slice(a, b - a), 0.08, 0.03
            ),
            "channel": row["channel"].slice(a, b - a),
            "category": strings(CATEGORIES, row["cat"][a:b]),
            "root_cause": row["root"].slice(a, b - a),
            "priority": strings(PRIORITIES, row["prio"][a:b]),
            "status": strings(STATUSES, row["status"][a:b]),
            "created_at": timestamps(generator_at(text_state, n + a), row["created"][a:b]),
            "solved_at": timestamps(
                generator_at(text_state, 2 * n + a),
                row["solved_at"][a:b],
                row["is_solved"][a:b],
            ),
        }
        yield chunk | (support.ticket_columns(a, b) if support else {})


def root_causes(r: np.random.Generator, cat: np.ndarray) -> pa.Array:
    """A root cause from the category's weighted list, for every ticket."""
    vocab: list[str] = []
    idx = np.zeros(cat.size, dtype=np.int64)
    u = r.random(cat.size)
    for ci, name in enumerate(CATEGORIES):
        causes = ROOT_CAUSES[name]
        cum = np.cumsum([wt for _, wt in causes]) / sum(wt for _, wt in causes)
        m = cat == ci
        k = np.minimum(np.searchsorted(cum, u[m], side="right"), len(causes) - 1)
        idx[m] = len(vocab) + k
        vocab.extend(x for x, _ in causes)
    return strings(vocab, idx)


# ---------------------------------------------------------------- ticketing.ticket_events
def events(
    w: World,
    created,
    first_reply,
    solved1,
    reopened,
    reopen_t,
    reply2,
    solved2,
    is_solved,
    closed,
    solved_at,
    hot,
    canon,
    raw_channel,
) -> Iterator[dict[str, pa.Array]]:
    """`ticketing.ticket_events`: the opening message, first reply, notes, back-and-forth,
    solves, reopens and the close of every ticket (arrays are per ticket, in ticket order).

    Events are ordered by ticket, so they are built in chunks of tickets: this draws what is
    per ticket, moves the streams past the per-event draws and returns the chunks, whose
    per-event draws come from `generator_at` (the same numbers as drawn in one go)."""
    r = w.rngs["events"]
    n = created.size
    status_t = created + np.minimum((first_reply - created) * 0.5, (1 + r.random(n) * 29) * MINUTE)
    note = r.random(n) < 0.35
    note_t = created + (first_reply - created) * r.random(n)
    # back-and-forth between the first reply and the (first) solve
    until = np.where(np.isfinite(solved1), solved1, first_reply + 10 * DAY)
    x_owner, _ = groups(r.poisson(np.where(hot, 1.5, 0.6)))
    lo, hi = first_reply[x_owner], until[x_owner]
    t_c = lo + (hi - lo) * r.random(x_owner.size)
    t_a = t_c + (hi - t_c) * r.random(x_owner.size)
    everyone = np.ones(n, dtype=bool)
    # (owner of each time or None for one per ticket, time, kept, event type, role, seq)
    parts = [
        (None, created, everyone, "public_reply", "customer", 0),
        (None, status_t, everyone, "status_change", "system", 1),
        (None, note_t, note, "internal_note", "agent", 2),
        (None, first_reply, everyone, "public_reply", "agent", 3),
        (x_owner, t_c, None, "public_reply", "customer", 4),
        (x_owner, t_a, None, "public_reply", "agent", 5),
        (None, solved1, is_solved, "solved", "agent", 6),
        (None, reopen_t, reopened, "reopened", "customer", 7),
        (None, reply2, reopened, "public_reply", "agent", 8),
        (None, solved2, reopened, "solved", "agent", 9),
        (None, solved_at + 4 * DAY, closed, "status_change", "system", 10),
    ]
    parts = [
        (owner, t, (t <= w.end) if mask is None else mask & (t <= w.end), etype, role, seq)
        for owner, t, mask, etype, role, seq in parts
    ]
    m = sum(int(kept.sum()) for _, _, kept, *_ in parts)
    text = w.rngs["text"]
    chunks = _event_chunks(
        parts,
        n,
        m,
        raw_channel,
        r.bit_generator.state,
        text.bit_generator.state,
        w.support,
        (w.off["tkt"], w.off["evt"]),
    )
    skip_uniform(r, 2 * m)  # by-mail draws, then the raw codes of those e-mails
    skip_uniform(text, m)
    return chunks


TICKETS_PER_CHUNK = 1 << 15  # about 7 events a ticket: chunks of about 230,000 events


def _event_chunks(
    parts: list,
    n: int,
    m: int,
    raw_channel: pa.Array,
    state: dict,
    text_state: dict,
    support: support_ops.Routing | None = None,
    first_ids: tuple[int, int] = (0, 0),
) -> Iterator[dict[str, pa.Array]]:
    """The events of tickets [i0, i1) at a time, in file order (ticket, time, sequence), drawn
    from the events stream at `state` and the text stream at `text_state`. With `support`,
    the optional support-operations columns follow the contract's. Ticket and event ids are
    numbered after `first_ids` (the ids of earlier chunks of accounts)."""
    tkt0, evt0 = first_ids
    e0 = 0
    for i0, i1 in chunk_bounds(n, TICKETS_PER_CHUNK):
        pieces = []
        for owner, t, kept, etype, role, seq in parts:
            if owner is None:
                idx = i0 + np.flatnonzero(kept[i0:i1])
                tix = idx
            else:
                a, b = np.searchsorted(owner, [i0, i1])
                idx = a + np.flatnonzero(kept[a:b])
                tix = owner[idx]
            k = idx.size
            pieces.append((tix, t[idx], EVENT_TYPES.index(etype), AUTHOR_ROLES.index(role), seq, k))
        ticket = np.concatenate([x[0] for x in pieces])
        t = np.concatenate([x[1] for x in pieces])
        etype = np.concatenate([np.full(x[5], x[2]) for x in pieces])
        role = np.concatenate([np.full(x[5], x[3]) for x in pieces])
        seq = np.concatenate([np.full(x[5], x[4]) for x in pieces])
        order = np.lexsort((seq, t, ticket))
        ticket, t, etype, role, seq = (x[order] for x in (ticket, t, etype, role, seq))
        k = ticket.size
        # customers sometimes answer by e-mail; everything else stays on the ticket's channel
        by_mail = (role == AUTHOR_ROLES.index("customer")) & (
            generator_at(state, e0).random(k) < 0.1
        )
        mail = raw_channels(generator_at(state, m + e0), np.full(k, CH["email"]))
        channel = pc.if_else(pa.array(by_mail), mail, raw_channel.take(pa.array(ticket)))
        chunk = {
            "event_id": ids("EVT-", np.arange(e0 + 1, e0 + k + 1) + evt0, 8),
            "ticket_id": ids("TKT-", ticket + 1 + tkt0, 7),
            "event_type": strings(EVENT_TYPES, etype),
            "author_role": strings(AUTHOR_ROLES, role),
            "channel": channel,
            "created_at": timestamps(generator_at(text_state, e0), t),
        }
        yield chunk | (support.event_columns(ticket, t, etype, role, seq) if support else {})
        e0 += k

"""Survey: `survey.surveys`, `survey.questions`, `survey.responses` and `survey.answers`.

A fixed catalog (the relationship survey, one survey per ticket touchpoint, two after orders);
responses from quarterly relationship waves, after solved tickets and after orders; answers
driven by a latent satisfaction, with lower CSAT through the social channel (a planted truth)
and written comments mostly when the score is low.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from demo_data.arrays import (
    DAY,
    HOUR,
    channel_mix,
    email_variants,
    epoch,
    ids,
    join,
    lognormal,
    nullable,
    pick,
    raw_channels,
    strings,
    timestamps,
)
from demo_data.planted import PLANTED
from demo_data.vocab import (
    BILLING_CATS,
    CATEGORIES,
    CATEGORY_TOUCHPOINT,
    CH,
    COMMENTS,
    FACTORS,
    FIRST,
    FREEMAIL,
    LAST,
    ORDER_QUESTIONS,
    REL_QUESTIONS,
    TICKET_QUESTIONS,
    TICKET_SURVEYS,
    TP_TICKET_SURVEY,
)
from demo_data.world import World


def build(w: World) -> None:
    """Emits the four survey tables in contract order; sets `w.answer_measure`."""
    cat = Catalog()
    if w.chunk == 0:  # the catalog is written once, with the first chunk of accounts
        emit_catalog(w, cat)
    r = w.rngs["surveys"]
    rel = relationship_waves(w, r)
    tk = after_tickets(w, r)
    od = after_orders(w, r, cat)
    resp = responses(w, r, cat, rel, tk, od)
    columns = answers(w, r, cat, rel, tk, od, resp)
    # the last table: the world's facts and the survey's working arrays are done with, and are
    # freed before it is written (only the answers' measures stay, for their bad rows)
    del rel, tk, od, resp
    del w.a, w.c, w.o, w.t
    w.emit("survey.answers", columns)


# ---------------------------------------------------------------- surveys and questions
class Catalog:
    """The fixed surveys and their questions (the same for every seed and scale)."""

    def __init__(self) -> None:
        surveys = [("SRV-REL", "Relationship NPS (quarterly)", "relationship", None)]
        surveys += [(sid, name, "transactional", tp) for sid, name, tp in TICKET_SURVEYS]
        surveys += [
            ("SRV-ORD-PURCHASE", "After purchase", "transactional", "purchase"),
            ("SRV-ORD-RENEWAL", "After renewal", "transactional", "renewal"),
        ]
        self.surveys = surveys
        self.survey_ids = [s[0] for s in surveys]
        self.q_rows: list[tuple[str, str, str, str | None, str]] = []
        # (survey, measure-or-measure:factor) -> question row
        self.q_index: dict[tuple[str, str], int] = {}
        for measure, factor, text in REL_QUESTIONS:
            self._add("SRV-REL", measure, factor, text)
        for sid, _, _ in TICKET_SURVEYS:
            for measure, factor, text in TICKET_QUESTIONS:
                self._add(sid, measure, factor, text)
        for sid, what in (("SRV-ORD-PURCHASE", "purchase"), ("SRV-ORD-RENEWAL", "renewal")):
            for measure, factor, text in ORDER_QUESTIONS:
                self._add(sid, measure, factor, text.format(what=what))
        self.q_measure = [q[2] for q in self.q_rows]

    def _add(self, sid: str, measure: str, factor: str | None, text: str) -> None:
        q_rows = self.q_rows
        self.q_index[(sid, measure if factor is None else f"{measure}:{factor}")] = len(q_rows)
        q_rows.append((f"QST-{len(q_rows) + 1:03d}", sid, measure, factor, text))


def emit_catalog(w: World, cat: Catalog) -> None:
    surveys, q_rows = cat.surveys, cat.q_rows
    w.emit(
        "survey.surveys",
        {
            "survey_id": pa.array([s[0] for s in surveys]),
            "survey_name": pa.array([s[1] for s in surveys]),
            "survey_kind": pa.array([s[2] for s in surveys]),
            "touchpoint_code": pa.array([s[3] for s in surveys], pa.string()),
        },
    )
    w.emit(
        "survey.questions",
        {
            "question_id": pa.array([q[0] for q in q_rows]),
            "survey_id": pa.array([q[1] for q in q_rows]),
            "measure": pa.array(cat.q_measure),
            "factor": pa.array([q[3] for q in q_rows], pa.string()),
            "question_text": pa.array([q[4] for q in q_rows]),
        },
    )


# ---------------------------------------------------------------- who answers, and what
def relationship_waves(w: World, r: np.random.Generator) -> dict:
    """Every ~quarter a sample of current contacts answers the relationship survey: NPS and
    the performance items follow a latent satisfaction (lower for irritated accounts)."""
    a, c = w.a, w.c
    waves = np.arange(w.start + 30 * DAY, w.end - 7 * DAY, 91 * DAY)
    rel_person, rel_t = [], []
    for wave in waves:  # one iteration per wave, vectorised over contacts
        m = (c["created"] < wave) & (a["churn"][c["acc"]] > wave) & (r.random(c["acc"].size) < 0.1)
        who = np.flatnonzero(m)
        rel_person.append(who)
        rel_t.append(wave + np.minimum(lognormal(r, 2 * DAY, 1.0, who.size), 20 * DAY))
    rel_person_a = np.concatenate(rel_person) if rel_person else np.zeros(0, np.int64)
    rel_t_a = np.concatenate(rel_t) if rel_t else np.zeros(0)
    rel_ok = rel_t_a <= w.end
    rel_person_a, rel_t_a = rel_person_a[rel_ok], rel_t_a[rel_ok]
    nr = rel_person_a.size
    rel_acc = c["acc"][rel_person_a]
    z = r.standard_normal(nr) - 0.6 * a["irritated"][rel_acc]
    nps = np.clip(np.round(7.7 + 2.1 * z + 0.8 * r.standard_normal(nr)), 0, 10)
    perf = {
        "product_service": (3.8, 0.75, 0.6),
        "interaction": (3.2, 0.50, 0.8),
        "brand": (3.7, 0.25, 0.8),
    }
    imp = {"product_service": (4.2, 0.7), "interaction": (4.5, 0.6), "brand": (3.4, 0.9)}
    rel_values: dict[str, np.ndarray] = {"nps": nps}
    for f in FACTORS:
        mu, b, s = perf[f]
        rel_values[f"performance:{f}"] = np.clip(
            np.round(mu + b * z + s * r.standard_normal(nr)), 1, 5
        )
        mu, s = imp[f]
        rel_values[f"importance:{f}"] = np.clip(np.round(mu + s * r.standard_normal(nr)), 1, 5)
    rel_canon = channel_mix(
        r, nr, {"email": 55, "web": 28, "chat": 8, "phone": 4, "social": 3, "unknown": 0.2}
    )
    return dict(person=rel_person_a, t=rel_t_a, nps=nps, values=rel_values, canon=rel_canon)


def after_tickets(w: World, r: np.random.Generator) -> dict:
    """22 % of solved tickets get a response on the survey of the ticket's touchpoint."""
    t = w.t
    solved = np.flatnonzero(t["is_solved"] & (r.random(t["is_solved"].size) < 0.22))
    tk_t = t["solved_at"][solved] + np.minimum(lognormal(r, 6 * HOUR, 1.2, solved.size), 14 * DAY)
    solved, tk_t = solved[tk_t <= w.end], tk_t[tk_t <= w.end]
    nt = solved.size
    same = r.random(nt)
    tk_canon = np.where(
        same < 0.65, t["canon"][solved], np.where(same < 0.9, CH["email"], CH["web"])
    )
    tp_of_cat = np.array([TP_TICKET_SURVEY[CATEGORY_TOUCHPOINT[x]] for x in CATEGORIES])
    tk_survey = 1 + tp_of_cat[t["cat"][solved]]
    negative_ticket = t["reopened"][solved] | (t["pos"][solved] > 0)
    tk_adjust = (
        -0.20 * negative_ticket
        - 0.08 * np.isin(t["cat"][solved], BILLING_CATS)
        - 0.10 * t["hot"][solved]
    )
    tk_adjust = tk_adjust + last_month_moves(w, tk_t, tk_canon)
    tk_csat = csat(r, tk_canon, tk_adjust)
    tk_ces = ces(r, tk_csat)
    return dict(solved=solved, t=tk_t, canon=tk_canon, survey=tk_survey, csat=tk_csat, ces=tk_ces)


def after_orders(w: World, r: np.random.Generator, cat: Catalog) -> dict:
    """Purchase (new / upgrade / one-off) and renewal responses after paying orders."""
    c, o = w.c, w.o
    survey_ids = cat.survey_ids
    pos_orders = np.flatnonzero(o["cents"] > 0)
    rate = np.where(o["type"][pos_orders] == 3, 0.10, 0.22)
    od = pos_orders[r.random(pos_orders.size) < rate]
    od_t = o["t"][od] + (1 + r.random(od.size) * 9) * DAY
    od, od_t = od[od_t <= w.end], od_t[od_t <= w.end]
    no = od.size
    same = r.random(no)
    od_canon = np.where(same < 0.5, o["canon"][od], np.where(same < 0.85, CH["email"], CH["web"]))
    od_survey = np.where(
        o["type"][od] == 1,
        survey_ids.index("SRV-ORD-RENEWAL"),
        survey_ids.index("SRV-ORD-PURCHASE"),
    )
    od_person = o["contact"][od]
    od_person = np.where(od_person >= 0, od_person, c["first"][o["acc"][od]])
    od_csat = csat(r, od_canon, np.full(no, 0.02))
    return dict(order=od, t=od_t, canon=od_canon, survey=od_survey, person=od_person, csat=od_csat)


# ---------------------------------------------------------------- survey.responses
def responses(
    w: World, r: np.random.Generator, cat: Catalog, rel: dict, tk: dict, od: dict
) -> dict:
    """Relationship, ticket and order responses, sorted by time."""
    c, t, p = w.c, w.t, PLANTED
    rt = w.rngs["text"]
    survey_ids = cat.survey_ids
    nr, nt, no = rel["person"].size, tk["solved"].size, od["order"].size
    first_ascii = pa.array([x[1] for x in FIRST])
    last_ascii = pa.array([x[1] for x in LAST])

    def strangers(k: int) -> pa.Array:
        sid = r.integers(1_000_000, size=k)
        return join(
            first_ascii.take(pa.array(sid % len(FIRST))),
            "_",
            last_ascii.take(pa.array((sid // 7) % len(LAST))),
            pa.array(900_000 + sid).cast(pa.string()),
            "@",
            strings(FREEMAIL, sid % len(FREEMAIL)),
        )

    def people(person: np.ndarray) -> pa.Array:
        """The contact's address (lower-cased), a stranger's for ~3 %."""
        norm = pc.utf8_lower(c["email"].take(pa.array(person)))
        stranger = r.random(person.size) < p.unmatched_email_share
        return pc.if_else(pa.array(stranger), strangers(person.size), norm)

    norm = pa.concat_arrays(
        [people(rel["person"]), t["norm_email"].take(pa.array(tk["solved"])), people(od["person"])]
    )
    survey = np.concatenate([np.zeros(nr, np.int64), tk["survey"], od["survey"]])
    sub_t = np.concatenate([rel["t"], tk["t"], od["t"]])
    canon = np.concatenate([rel["canon"], tk["canon"], od["canon"]])
    kind = np.concatenate([np.zeros(nr, np.int8), np.ones(nt, np.int8), np.full(no, 2, np.int8)])
    local = np.concatenate([np.arange(nr), np.arange(nt), np.arange(no)])
    ticket_ref = np.concatenate([np.full(nr, -1), tk["solved"], np.full(no, -1)])
    order_ref = np.concatenate([np.full(nr + nt, -1), od["order"]])
    order = np.argsort(sub_t, kind="stable")
    survey, sub_t, canon, kind, local, ticket_ref, order_ref = (
        x[order] for x in (survey, sub_t, canon, kind, local, ticket_ref, order_ref)
    )
    norm = norm.take(pa.array(order))
    n_resp = survey.size
    off = w.off
    resp_ids = ids("RSP-", np.arange(1, n_resp + 1) + off["rsp"], 7)
    w.emit(
        "survey.responses",
        {
            "response_id": resp_ids,
            "survey_id": strings(survey_ids, survey),
            "respondent_email": email_variants(rt, norm, 0.08, 0.03),
            "ticket_id": nullable(ids("TKT-", ticket_ref + 1 + off["tkt"], 7), ticket_ref >= 0),
            "order_id": nullable(ids("ORD-", order_ref + 1 + off["ord"], 7), order_ref >= 0),
            "channel": raw_channels(r, canon),
            "submitted_at": timestamps(rt, sub_t),
        },
    )
    return dict(survey=survey, kind=kind, local=local, ids=resp_ids)


# ---------------------------------------------------------------- survey.answers
def answers(
    w: World, r: np.random.Generator, cat: Catalog, rel: dict, tk: dict, od: dict, resp: dict
) -> dict[str, pa.Array]:
    """The columns of `survey.answers`: one row per (response, numeric question); a comment row
    only when one was written. Sets `w.answer_measure` (the measure of each row)."""
    t = w.t
    q_index, q_rows, survey_ids = cat.q_index, cat.q_rows, cat.survey_ids
    survey, kind, local, resp_ids = resp["survey"], resp["kind"], resp["local"], resp["ids"]
    n_resp = survey.size
    rel_values, nps, solved = rel["values"], rel["nps"], tk["solved"]
    tk_csat, tk_ces, od_csat = tk["csat"], tk["ces"], od["csat"]
    rpos = np.arange(n_resp)
    rel_r, tk_r, od_r = rpos[kind == 0], rpos[kind == 1], rpos[kind == 2]
    rel_l, tk_l, od_l = local[kind == 0], local[kind == 1], local[kind == 2]
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    def put(resp, qrow, val, slot, text_idx=None) -> None:
        k = resp.size
        parts.append(
            (
                resp,
                np.broadcast_to(np.asarray(qrow, np.int64), (k,)),
                np.asarray(val, float),
                np.full(k, slot),
                np.full(k, -1) if text_idx is None else text_idx,
            )
        )

    for slot, (measure, factor, _) in enumerate(REL_QUESTIONS[:-1]):
        key = measure if factor is None else f"{measure}:{factor}"
        put(rel_r, q_index[("SRV-REL", key)], rel_values[key][rel_l], slot)
    tk_sv = survey[kind == 1] - 1  # ticket surveys follow the relationship survey
    q_of = {
        m: np.array([q_index[(s[0], m)] for s in TICKET_SURVEYS])
        for m in ("csat", "ces", "comment")
    }
    put(tk_r, q_of["csat"][tk_sv], tk_csat[tk_l], 0)
    put(tk_r, q_of["ces"][tk_sv], tk_ces[tk_l], 1)
    renewal = survey[kind == 2] == survey_ids.index("SRV-ORD-RENEWAL")
    od_q = {
        m: np.where(renewal, q_index[("SRV-ORD-RENEWAL", m)], q_index[("SRV-ORD-PURCHASE", m)])
        for m in ("csat", "comment")
    }
    put(od_r, od_q["csat"], od_csat[od_l], 0)

    def valence(score: np.ndarray, good: float, bad: float) -> np.ndarray:
        return np.where(score >= good, 0, np.where(score <= bad, 2, 1))

    com_resp = np.concatenate([rel_r, tk_r, od_r])
    com_q = np.concatenate(
        [
            np.full(rel_r.size, q_index[("SRV-REL", "comment")]),
            q_of["comment"][tk_sv],
            od_q["comment"],
        ]
    )
    com_val = np.concatenate(
        [valence(nps[rel_l], 9, 6), valence(tk_csat[tk_l], 4, 2), valence(od_csat[od_l], 4, 2)]
    )
    com_bill = np.concatenate(
        [
            np.zeros(rel_r.size, bool),
            np.isin(t["cat"][solved[tk_l]], BILLING_CATS),
            np.zeros(od_r.size, bool),
        ]
    )
    writes = r.random(com_resp.size) < np.where(com_val == 2, 0.45, 0.2)
    com_resp, com_q, com_val, com_bill = (x[writes] for x in (com_resp, com_q, com_val, com_bill))
    texts = comments(r, com_val, com_bill)
    put(com_resp, com_q, np.full(com_resp.size, np.nan), 9, np.arange(com_resp.size))

    resp, qrow, val, slot, tix = (np.concatenate([x[i] for x in parts]) for i in range(5))
    order = np.lexsort((slot, resp))
    resp, qrow, val, tix = resp[order], qrow[order], val[order], tix[order]
    is_comment = tix >= 0
    text_value = (
        nullable(texts.take(pa.array(np.maximum(tix, 0))), is_comment)
        if texts.__len__()
        else pa.nulls(resp.size, pa.string())
    )
    w.answer_measure = np.array(cat.q_measure, dtype=object)[qrow]
    return {
        "response_id": resp_ids.take(pa.array(resp)),
        "question_id": pa.array([q[0] for q in q_rows]).take(pa.array(qrow)),
        "numeric_value": pa.array(np.where(is_comment, 0.0, val), pa.float64(), mask=is_comment),
        "text_value": text_value,
    }


def last_month_moves(w: World, at: np.ndarray, canon: np.ndarray) -> np.ndarray:
    """The planted moves of the window's last month (PLANTED, item 3): answers through the
    drop channel lose `csat_drop` of P(4-5), through the wobble channel `csat_wobble`. Only
    thresholds move: the random draws are the same, so nothing else changes."""
    p = PLANTED
    month_start = epoch(w.end_date.replace(day=1))
    in_month = at >= month_start
    return -(
        p.csat_drop * (in_month & (canon == CH[p.csat_drop_channel]))
        + p.csat_wobble * (in_month & (canon == CH[p.csat_wobble_channel]))
    )


def csat(r: np.random.Generator, canon: np.ndarray, adjust: np.ndarray) -> np.ndarray:
    """CSAT 1-5. P(4-5) starts at 0.84 (0.62 through social: the planted channel) and is
    lowered by `adjust` (reopened / repeat tickets, billing); observed ~80 % vs ~55 %."""
    base = np.where(canon == CH["social"], 0.62, 0.84)
    good = r.random(canon.size) < np.clip(base + adjust, 0.05, 0.98)
    hi = np.where(r.random(canon.size) < 0.55, 5, 4)
    lo = 1 + pick(r, (3, 3, 4), canon.size)
    return np.where(good, hi, lo).astype(float)


def ces(r: np.random.Generator, csat: np.ndarray) -> np.ndarray:
    """CES 1-7 (7 = very easy), following CSAT with noise."""
    return np.clip(np.round(1.4 * csat - 0.2 + 1.0 * r.standard_normal(csat.size)), 1, 7)


def comments(r: np.random.Generator, valence: np.ndarray, billing: np.ndarray) -> pa.Array:
    valences = ("positive", "neutral", "negative", "billing")
    vocab, offsets = [], []
    for g in valences:
        offsets.append(len(vocab))
        vocab.extend(COMMENTS[g])
    g = np.where((valence == 2) & billing, 3, valence)
    sizes = np.array([len(COMMENTS[x]) for x in valences])
    idx = np.array(offsets)[g] + np.floor(r.random(g.size) * sizes[g]).astype(np.int64)
    return strings(vocab, idx)

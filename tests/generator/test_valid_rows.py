"""The demo's valid rows: unique keys, resolving references, values on their scales,
timestamps in the window, messy but mappable identities, consistent ticket lifecycles."""

from __future__ import annotations

import pytest

from demo_data.generator import CATEGORIES, CONTRACT, PLANTED
from tests.generator.reading import (
    CHANNEL_MAP,
    END,
    SCALES,
    START,
    TOUCHPOINT_OF_CATEGORY,
    connect,
    duplicate_keys,
    foreign_account_references,
    orphan_references,
    ts,
    v,
)


# ------------------------------------------------------------- valid rows: keys, references
def test_keys_unique_among_valid_rows(small_con):
    assert duplicate_keys(small_con) == {}


@pytest.mark.parametrize("con_name", ["small_con", "clean"])
def test_referential_integrity_of_valid_rows(request, con_name):
    if con_name == "clean":
        con = connect(request.getfixturevalue("clean")[0], "parquet")
    else:
        con = request.getfixturevalue(con_name)
    assert orphan_references(con) == {}
    # orders / invoices are consistent with their account and contact
    assert foreign_account_references(con) == (0, 0)


def test_domain_values_and_scales(small_con):
    con = small_con

    def values(table, col):
        return {r[0] for r in con.execute(f"select distinct {col} from valid_{table}").fetchall()}

    assert values("crm_accounts", "segment") == {"enterprise", "smb", "consumer"}
    assert values("crm_orders", "order_type") == {"new", "renewal", "upgrade", "one_off"}
    assert values("ticketing_tickets", "category") == set(CATEGORIES)
    assert values("ticketing_tickets", "priority") == {"low", "normal", "high", "urgent"}
    assert values("ticketing_tickets", "status") <= {"new", "open", "pending", "solved", "closed"}
    assert values("ticketing_ticket_events", "event_type") == {
        "public_reply",
        "internal_note",
        "status_change",
        "reopened",
        "solved",
    }
    assert values("ticketing_ticket_events", "author_role") == {"agent", "customer", "system"}
    assert values("survey_surveys", "survey_kind") == {"relationship", "transactional"}
    assert values("survey_questions", "measure") == set(SCALES) | {"comment"}
    assert values("survey_questions", "factor") == {None, "product_service", "interaction", "brand"}
    assert all(len(c) == 2 and c.isupper() for c in values("crm_accounts", "country"))
    tps = values("survey_surveys", "touchpoint_code")
    assert None in tps and set(TOUCHPOINT_OF_CATEGORY.values()) <= tps and "purchase" in tps
    assert (
        con.execute(
            "select count(*) from valid_survey_surveys where survey_kind = "
            "'relationship' and touchpoint_code is not null"
        ).fetchone()[0]
        == 0
    )
    # answers: numeric values in scale, text only for comments
    bad = con.execute("""
        select count(*) from valid_survey_answers a join survey_questions q using (question_id)
        where (q.measure = 'comment') <> (a.numeric_value is null)
           or (q.measure = 'comment') <> (a.text_value is not null)""").fetchone()[0]
    assert bad == 0
    # one nps, importance + performance per factor and one comment in the relationship survey
    rel = con.execute("""select measure, factor from survey_questions q join survey_surveys s
                         using (survey_id) where s.survey_kind = 'relationship'""").fetchall()
    assert sorted(rel, key=str) == sorted(
        [("nps", None), ("comment", None)]
        + [
            (m, f)
            for f in ("product_service", "interaction", "brand")
            for m in ("importance", "performance")
        ],
        key=str,
    )


def test_every_timestamp_of_valid_rows_parses_and_lies_in_the_window(small_con):
    checked = 0
    for name, spec in CONTRACT.items():
        for col, kind in spec:
            if kind != "timestamp":
                continue
            unparsed = small_con.execute(
                f"select count(*) from valid_{v(name)} where {col} is not null "
                f"and {ts(col)} is null"
            ).fetchone()[0]
            assert unparsed == 0, (name, col)
            if name in ("crm.accounts", "crm.contacts") or col == "due_at":
                continue  # entities may predate the window; due_at is a deadline
            lo, hi = small_con.execute(
                f"select min({ts(col)}), max({ts(col)}) from valid_{v(name)}"
            ).fetchone()
            assert lo.date() >= START and hi.date() <= END, (name, col, lo, hi)
            checked += 1
    assert checked >= 7


def test_latest_event_is_on_the_end_date(small_con):
    latest = small_con.execute(f"""
        select max(t)::date from (
            select {ts("ordered_at")} as t from valid_crm_orders
            union all select {ts("issued_at")} from valid_crm_invoices
            union all select {ts("paid_at")} from valid_crm_invoices
            union all select {ts("created_at")} from valid_ticketing_tickets
            union all select {ts("solved_at")} from valid_ticketing_tickets
            union all select {ts("created_at")} from valid_ticketing_ticket_events
            union all select {ts("submitted_at")} from valid_survey_responses)""").fetchone()[0]
    assert latest == END


def test_timestamp_text_formats(small_con):
    rows = small_con.execute("""
        select count(*), count(*) filter (where created_at like '%Z'),
               count(*) filter (where created_at like '%+02:00'),
               count(*) filter (where created_at like '%-05:00'),
               count(*) filter (where regexp_full_match(created_at,
                                '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}'))
        from valid_ticketing_ticket_events""").fetchone()
    total, zulu, plus2, minus5, naive = rows
    assert zulu > 0.5 * total and naive > 0.1 * total
    assert 0 < plus2 < 0.05 * total and 0 < minus5 < 0.05 * total
    # an offset is honoured: the UTC value of '...+02:00' is two hours earlier than its text
    text = small_con.execute(
        "select created_at from valid_ticketing_ticket_events "
        "where created_at like '%+02:00' limit 1"
    ).fetchone()[0]
    utc = small_con.execute(f"select {ts('?')}", [text]).fetchone()[0]
    assert utc.isoformat()[:19] != text[:19]


# --------------------------------------------------------------------------- messy identities
def test_channel_codes_are_messy_but_mappable(small_con):
    codes = [
        r[0]
        for r in small_con.execute("""
        select channel from valid_ticketing_tickets union all
        select channel from valid_crm_orders union all
        select channel from valid_survey_responses union all
        select channel from valid_ticketing_ticket_events""").fetchall()
    ]
    norm = [c.strip().lower() for c in codes]
    unknown = [c for c in norm if c not in CHANNEL_MAP]
    assert set(unknown) <= set(PLANTED.unknown_channel_codes)
    assert 0 < len(unknown) < 0.01 * len(codes)
    assert any(c != c.strip() for c in codes) and any(c != c.lower() for c in codes)
    assert {"E-Mail", "WhatsApp"} & set(codes)
    assert {CHANNEL_MAP[c] for c in norm if c in CHANNEL_MAP} == set(CHANNEL_MAP.values())


def test_emails_match_contacts_after_trim_and_lower(small_con):
    for table, col in (
        ("ticketing_tickets", "requester_email"),
        ("survey_responses", "respondent_email"),
    ):
        raw_exact, matched, n = small_con.execute(f"""
            select count(*) filter (where {col} in (select email from valid_crm_contacts)),
                   count(*) filter (where lower(trim({col})) in
                                    (select lower(trim(email)) from valid_crm_contacts)),
                   count(*)
            from valid_{table}""").fetchone()
        assert 0.93 < matched / n < 0.995, (table, matched / n)  # ~3 % unmatched people
        assert raw_exact < matched  # some match only after normalising
    unique = small_con.execute(
        "select count(distinct lower(trim(email))) = count(*) from valid_crm_contacts"
    ).fetchone()[0]
    assert unique


# ------------------------------------------------------------------------------------ tickets
def test_ticket_lifecycle_is_consistent(small_con):
    con = small_con
    checks = con.execute(f"""
        with ev as (
            select ticket_id,
                   max({ts("created_at")}) filter (where event_type = 'solved') as last_solved,
                   min({ts("created_at")}) as first_event,
                   count(*) filter (where event_type = 'reopened') as reopens,
                   count(*) filter (where event_type = 'public_reply'
                                    and author_role = 'agent') as agent_replies
            from valid_ticketing_ticket_events group by ticket_id
        )
        select
            count(*) filter (where (t.status in ('solved', 'closed')) <> (t.solved_at is not null)),
            count(*) filter (where {ts("t.solved_at")} is distinct from ev.last_solved),
            count(*) filter (where ev.first_event <> {ts("t.created_at")}),
            count(*) filter (where ev.ticket_id is null),
            count(*) filter (where ev.reopens > 0),
            count(*) filter (where t.status in ('new', 'open', 'pending')),
            count(*) filter (where t.root_cause is null),
            count(*) filter (where ev.agent_replies = 1 and t.status in ('solved', 'closed')),
            count(*)
        from valid_ticketing_tickets as t left join ev using (ticket_id)""").fetchone()
    (
        status_mismatch,
        solved_mismatch,
        first_mismatch,
        no_events,
        reopened,
        unsolved,
        no_cause,
        one_touch,
        n,
    ) = checks
    assert status_mismatch == 0 and solved_mismatch == 0
    assert first_mismatch == 0 and no_events == 0
    assert 0.02 * n < reopened < 0.3 * n
    assert 0 < unsolved < 0.1 * n
    assert 0.05 * n < no_cause < 0.5 * n
    assert one_touch > 0.2 * n


def test_repeat_contacts_and_immature_tickets_exist(small_con):
    chains, repeats, immature, n = small_con.execute(f"""
        with t as (
            select lower(trim(requester_email)) as person, category,
                   {ts("created_at")} as created
            from valid_ticketing_tickets
        ), linked as (
            select *, created - lag(created) over (partition by person, category
                                                   order by created) as gap
            from t
        ), flagged as (
            select *, gap is not null and gap <= interval 7 day as is_repeat from linked
        )
        select (select count(*) from (
                    select person, category from flagged group by 1, 2
                    having count(*) filter (where is_repeat) >= 2)),
               count(*) filter (where is_repeat),
               count(*) filter (where created > date '{END}' - interval 7 day),
               count(*)
        from flagged""").fetchone()
    assert 0.03 * n < repeats < 0.3 * n
    assert chains > 0  # chains of 3+ tickets
    assert 0 < immature < 0.05 * n

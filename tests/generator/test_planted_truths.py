"""The truths the demo plants (disputes on top-revenue accounts, the billing hotspot, a
low-CSAT channel, drivers), on 2,000 accounts; and the generator's arguments and window."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from demo_data.generator import BAD_ROW_REASONS, PLANTED, generate
from tests.generator.reading import (
    CHANNEL_MAP,
    END,
    TOUCHPOINT_OF_CATEGORY,
    connect,
    revenue_sql,
    ts,
)


def test_planted_disputes_concentrate_on_top_revenue_accounts(medium_con):
    top, rest, top_late, rest_late = medium_con.execute(f"""
        with rev as ({revenue_sql()}),
        decile as (select account_id, ntile(10) over (order by revenue desc) as d from rev),
        inv as (
            select i.*, d.d,
                   i.paid_at is null and {ts("i.due_at")} + interval 30 day < date '{END}'
                       as is_overdue
            from valid_crm_invoices i join decile d using (account_id)
        )
        select avg(is_disputed::boolean::int) filter (where d = 1),
               avg(is_disputed::boolean::int) filter (where d > 1),
               avg(is_overdue::int) filter (where d = 1),
               avg(is_overdue::int) filter (where d > 1)
        from inv""").fetchone()
    assert top > 2.5 * rest and top > 0.08
    assert top_late > rest_late


def test_planted_billing_hotspot_ranks_first(medium_con):
    """Irritations per touchpoint (METRICS.md valence), and revenue at risk."""
    con = medium_con
    con.execute("create or replace table tcat (category varchar, touchpoint varchar)")
    con.executemany("insert into tcat values (?, ?)", list(TOUCHPOINT_OF_CATEGORY.items()))
    rows = con.execute(f"""
        with rev as ({revenue_sql()}),
        people as (select lower(trim(email)) as person, account_id from valid_crm_contacts),
        tickets as (
            select t.ticket_id, t.category, lower(trim(t.requester_email)) as person,
                   {ts("t.created_at")} as created
            from valid_ticketing_tickets t
        ),
        reopened as (select distinct ticket_id from valid_ticketing_ticket_events
                     where event_type = 'reopened'),
        ticket_events as (
            select tc.touchpoint, p.account_id,
                   r.ticket_id is not null or coalesce(created - lag(created) over (
                       partition by t.person, t.category order by created)
                       <= interval 7 day, false) as negative
            from tickets t join tcat tc using (category)
            left join people p using (person) left join reopened r using (ticket_id)
        ),
        scores as (
            select a.response_id, q.measure, a.numeric_value::double as value
            from valid_survey_answers a join valid_survey_questions q using (question_id)
            where q.measure in ('nps', 'csat', 'ces')
        ),
        first_score as (
            select response_id, arg_min(
                case measure when 'nps' then value <= 6 when 'csat' then value <= 2
                             else value <= 3 end,
                case measure when 'nps' then 1 when 'csat' then 2 else 3 end) as negative
            from scores group by 1
        ),
        survey_events as (
            select s.touchpoint_code as touchpoint, p.account_id,
                   coalesce(f.negative, false) as negative
            from valid_survey_responses r join valid_survey_surveys s using (survey_id)
            left join first_score f using (response_id)
            left join people p on p.person = lower(trim(r.respondent_email))
            where s.survey_kind = 'transactional'
        ),
        invoice_events as (
            select 'billing' as touchpoint, account_id,
                   is_disputed::boolean or (paid_at is null and {ts("due_at")}
                       + interval 30 day < date '{END}') as negative
            from valid_crm_invoices
        ),
        events as (
            select * from ticket_events union all select * from survey_events
            union all select * from invoice_events
        ),
        hot as (
            select touchpoint, count(*) filter (where negative) as irritations,
                   count(distinct account_id) filter (where negative) as affected
            from events group by 1
        ),
        at_risk as (
            select e.touchpoint, sum(rev.revenue) as revenue_at_risk
            from (select distinct touchpoint, account_id from events
                  where negative and account_id is not null) e
            join rev using (account_id) group by 1
        )
        select touchpoint, irritations, affected, revenue_at_risk
        from hot join at_risk using (touchpoint) order by irritations desc""").fetchall()
    by_irritations = [r[0] for r in rows]
    by_revenue = [r[0] for r in sorted(rows, key=lambda r: -r[3])]
    assert by_irritations[0] == PLANTED.hotspot_touchpoint == by_revenue[0]
    assert rows[0][1] > 2 * rows[1][1]  # clearly, not by a hair
    assert len(rows) >= 9


def test_planted_low_csat_channel(medium_con):
    con = medium_con
    con.execute("create or replace table chmap (raw varchar, canonical varchar)")
    con.executemany("insert into chmap values (?, ?)", list(CHANNEL_MAP.items()))
    rows = con.execute("""
        select m.canonical, count(*) as n, avg((a.numeric_value::double >= 4)::int) as csat
        from valid_survey_answers a join valid_survey_questions q using (question_id)
        join valid_survey_responses r using (response_id)
        join chmap m on m.raw = lower(trim(r.channel))
        where q.measure = 'csat' group by 1""").fetchall()
    csat = {c: s for c, _, s in rows}
    n = {c: k for c, k, _ in rows}
    assert set(csat) == set(CHANNEL_MAP.values())
    assert min(n.values()) >= 40  # ~10x that at the default scale
    social = csat.pop(PLANTED.low_csat_channel)
    assert 0.35 < social < 0.7
    assert all(s > social + 0.15 for s in csat.values()), (social, csat)
    assert all(0.7 < s < 0.95 for s in csat.values()), csat


def test_planted_drivers_and_expectation_gap(medium_con):
    con = medium_con
    corr = dict(
        con.execute("""
        with a as (select a.response_id, q.measure, q.factor, a.numeric_value::double as value
                   from valid_survey_answers a join valid_survey_questions q using (question_id))
        select p.factor, corr(p.value, n.value)
        from a p join a n on n.response_id = p.response_id and n.measure = 'nps'
        where p.measure = 'performance' group by 1""").fetchall()
    )
    gap = dict(
        con.execute("""
        select q.factor, avg(a.numeric_value::double) filter (where q.measure = 'importance')
                       - avg(a.numeric_value::double) filter (where q.measure = 'performance')
        from valid_survey_answers a join valid_survey_questions q using (question_id)
        where q.factor is not null group by 1""").fetchall()
    )
    assert all(c > 0.1 for c in corr.values()), corr
    order = sorted(corr, key=corr.get, reverse=True)
    assert tuple(order) == PLANTED.driver_factor_order
    assert gap[PLANTED.positive_gap_factor] > 0.5
    assert gap[PLANTED.positive_gap_factor] == max(gap.values())


def test_every_canonical_channel_gets_csat_answers_at_small_scale(small_con):
    got = {
        r[0]
        for r in small_con.execute("""
        select distinct lower(trim(r.channel)) from valid_survey_answers a
        join valid_survey_questions q using (question_id)
        join valid_survey_responses r using (response_id) where q.measure = 'csat'""").fetchall()
    }
    assert {CHANNEL_MAP[c] for c in got if c in CHANNEL_MAP} == set(CHANNEL_MAP.values())


def test_planted_is_importable_and_consistent():
    assert PLANTED["hotspot_touchpoint"] == PLANTED.hotspot_touchpoint == "billing"
    assert {TOUCHPOINT_OF_CATEGORY[c] for c in PLANTED.hotspot_ticket_categories} == {"billing"}
    assert {CHANNEL_MAP[c] for c in PLANTED.low_csat_raw_codes} == {PLANTED.low_csat_channel}
    assert {CHANNEL_MAP[c.strip().lower()] for c in PLANTED.low_csat_raw_values} == {"social"}
    assert not set(PLANTED.unknown_channel_codes) & set(CHANNEL_MAP)
    assert dict(PLANTED.bad_row_reasons) == dict(BAD_ROW_REASONS)
    assert "bad_row_reasons" in PLANTED.as_dict()


# -------------------------------------------------------------------------------------- speed
def test_speed_is_recorded_not_asserted(small, record_property):
    """Speed is measured by the benchmark (docs/demo_data.md), not asserted here."""
    _, result = small
    record_property("demo_rows", result.total_rows)
    record_property("demo_seconds", round(result.seconds, 3))
    record_property("demo_rows_per_minute", round(result.rows_per_minute))
    print(
        f"demo data: {result.total_rows} rows in {result.seconds:.2f} s "
        f"= {result.rows_per_minute:,.0f} rows/min"
    )
    assert result.seconds > 0 and result.total_rows == sum(result.rows.values())


def test_arguments_are_validated(tmp_path):
    with pytest.raises(ValueError):
        generate(tmp_path, accounts=0)
    with pytest.raises(ValueError):
        generate(tmp_path, accounts=5, file_format="json")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        generate(tmp_path, accounts=5, bad_row_share=0.7)


def test_end_date_and_months_move_the_window(tmp_path):
    end = date(2025, 6, 30)
    generate(tmp_path, accounts=80, end_date=end, months=6, bad_row_share=0)
    con = connect(tmp_path, "csv")
    lo, hi = con.execute(
        f"select min({ts('created_at')})::date, max({ts('created_at')})::date "
        "from valid_ticketing_ticket_events"
    ).fetchone()
    assert hi == end and lo >= end - timedelta(days=185)

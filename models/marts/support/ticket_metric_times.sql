-- One row per ticket, metric and cycle (grain: ticket_id, metric, cycle): when the
-- metric started and ended (null while running), its calendar minutes and its business
-- minutes on the ticket's schedule (null without a schedule), a running metric counted
-- to the end of the as-of date. Tickets only when ticketing.schedules or
-- ticketing.sla_policies were delivered (zero rows otherwise).
with

metric_spans as (
    select
        ticket_id,
        metric,
        cycle,
        span_start_at,
        span_end_at,
        is_complete
    from {{ ref('int_ticket_metric_spans') }}
),

spans as (
    select
        ticket_id,
        metric,
        cycle,
        min(span_start_at) as started_at,
        max(span_end_at) as ended_at,
        {{ cx_warehouse.bool_and_portable('is_complete') }} as is_complete
    from metric_spans
    group by ticket_id, metric, cycle
),

-- the calendar and business pieces of every span (macro support_metric_pieces)
{{ support_metric_pieces('metric_spans', 'metric_pieces') }},

pieces as (
    select
        ticket_id,
        metric,
        cycle,
        sum(case when basis = 'calendar' then piece_seconds else 0 end)
            as calendar_seconds,
        sum(case when basis = 'business' then piece_seconds else 0 end)
            as business_seconds
    from metric_pieces
    group by ticket_id, metric, cycle
),

assignments as (
    select
        ticket_id,
        schedule_id
    from {{ ref('stg_ticketing__ticket_assignments') }}
),

final as (
    select
        spans.ticket_id,
        spans.metric,
        cast(spans.cycle as integer) as cycle,
        assignments.schedule_id,
        spans.started_at,
        case when spans.is_complete then spans.ended_at end as ended_at,
        spans.is_complete,
        cast(coalesce(pieces.calendar_seconds, 0) as {{ type_double() }}) / 60
            as calendar_minutes,
        {{ business_minutes('assignments.schedule_id', 'pieces.business_seconds') }}
            as business_minutes
    from spans
    left join pieces
        on spans.ticket_id = pieces.ticket_id
            and spans.metric = pieces.metric
            and spans.cycle = pieces.cycle
    left join assignments
        on spans.ticket_id = assignments.ticket_id
)

select * from final

-- the business clock (macro support_business_clock) reads the time spine; named here so
-- that dbt's partial parsing knows it however the macro changes
-- depends_on: {{ ref('metricflow_time_spine') }}
-- One row per ticket, metric and cycle (grain: ticket_id, metric, cycle): when the
-- metric started and ended (null while running), its calendar minutes and its business
-- minutes on the ticket's schedule (null without a schedule), a running metric counted
-- to the end of the as-of date. Tickets only when ticketing.schedules or
-- ticketing.sla_policies were delivered (zero rows otherwise).
with

as_of as (
    select as_of_end_at from {{ ref('int_as_of_date') }}
),

assignments as (
    select
        ticket_id,
        schedule_id
    from {{ ref('stg_ticketing__ticket_assignments') }}
),

-- every span [start, end) with its end: a running span to the end of the as-of date, an
-- end before the start (an event stamped before the ticket) counting nothing
spans as (
    select
        metric_spans.ticket_id,
        metric_spans.metric,
        metric_spans.cycle,
        assignments.schedule_id,
        metric_spans.span_start_at,
        metric_spans.span_end_at,
        metric_spans.is_complete,
        {{ support_span_end_at('metric_spans', 'as_of.as_of_end_at') }}
            as counted_end_at
    from {{ ref('int_ticket_metric_spans') }} as metric_spans
    cross join as_of
    left join assignments
        on metric_spans.ticket_id = assignments.ticket_id
),

-- the business clock at both ends of every span of a ticket on a schedule (macro
-- support_business_clock): a span's business seconds are the difference
{{ support_business_clock(
    'spans', 'span_start_at', 'counted_end_at', 'clocked'
) }},

-- requester_wait and agent_work run in several spans (status segments): summed per
-- ticket, metric and cycle
status_metrics as (
    select
        ticket_id,
        metric,
        cycle,
        max(schedule_id) as schedule_id,
        min(span_start_at) as started_at,
        max(span_end_at) as ended_at,
        {{ cx_warehouse.bool_and_portable('is_complete') }} as is_complete,
        sum({{ dbt.datediff('span_start_at', 'counted_end_at', 'second') }})
            as calendar_seconds,
        sum(end_clock - start_clock) as business_seconds
    from clocked
    where metric in ('requester_wait', 'agent_work')
    group by ticket_id, metric, cycle
),

-- first_reply, resolution and each next_reply cycle are one span each
-- (int_ticket_metric_spans): no sum needed
single_span_metrics as (
    select
        ticket_id,
        metric,
        cycle,
        schedule_id,
        span_start_at as started_at,
        span_end_at as ended_at,
        is_complete,
        {{ dbt.datediff('span_start_at', 'counted_end_at', 'second') }}
            as calendar_seconds,
        end_clock - start_clock as business_seconds
    from clocked
    where metric not in ('requester_wait', 'agent_work')
),

metrics as (
    select * from status_metrics
    union all
    select * from single_span_metrics
),

final as (
    select
        ticket_id,
        metric,
        cast(cycle as integer) as cycle,
        schedule_id,
        started_at,
        case when is_complete then ended_at end as ended_at,
        is_complete,
        cast(coalesce(calendar_seconds, 0) as {{ type_double() }}) / 60
            as calendar_minutes,
        {{ business_minutes('schedule_id', 'business_seconds') }} as business_minutes
    from metrics
)

select * from final

-- the business clock (macro support_business_clock) reads the time spine; named here so
-- that dbt's partial parsing knows it however the macro changes
-- depends_on: {{ ref('metricflow_time_spine') }}
-- One row per ticket, metric and cycle an SLA policy applies to (grain: ticket_id,
-- metric, cycle): the policy applied, its target, the minutes elapsed (business or
-- calendar, as the policy says), when the target was breached, and the status at the
-- as-of date: breached (elapsed above target), achieved (over within target) or pending
-- (running within target). The policy applied is the most specific one matching the
-- ticket's priority and tier (priority and tier, then priority only, then tier only;
-- ties by policy_id); a business-hours policy applies only to tickets on a schedule.
-- Empty without ticketing.sla_policies.
with

policies as (
    select
        policy_id,
        priority,
        tier,
        metric,
        target_minutes,
        in_business_hours
    from {{ ref('stg_ticketing__sla_policies') }}
),

times as (
    select
        ticket_id,
        metric,
        cycle,
        schedule_id,
        started_at,
        ended_at,
        is_complete,
        calendar_minutes,
        business_minutes
    from {{ ref('ticket_metric_times') }}
    where exists (select 1 from policies)
),

assignments as (
    select
        ticket_id,
        priority,
        group_id
    from {{ ref('stg_ticketing__ticket_assignments') }}
),

tiers as (
    select
        ticket_id,
        tier
    from {{ ref('ticket_service_levels') }}
),

measured as (
    select
        times.ticket_id,
        times.metric,
        times.cycle,
        assignments.priority,
        tiers.tier,
        assignments.group_id,
        times.started_at,
        times.ended_at,
        times.is_complete,
        times.schedule_id,
        times.schedule_id is not null as is_on_schedule,
        times.calendar_minutes,
        times.business_minutes
    from times
    inner join assignments
        on times.ticket_id = assignments.ticket_id
    left join tiers
        on times.ticket_id = tiers.ticket_id
),

-- the policy applied depends only on the metric, the priority, the tier and whether the
-- ticket is on a schedule: it is chosen once per such combination (a handful), not per
-- ticket
combinations as (
    select distinct
        metric,
        priority,
        tier,
        is_on_schedule
    from measured
),

candidates as (
    select
        combinations.metric,
        combinations.priority,
        combinations.tier,
        combinations.is_on_schedule,
        policies.policy_id,
        policies.target_minutes,
        policies.in_business_hours,
        row_number() over (
            partition by
                combinations.metric,
                combinations.priority,
                combinations.tier,
                combinations.is_on_schedule
            order by
                case
                    when policies.priority is not null
                        and policies.tier is not null
                        then 1
                    when policies.priority is not null then 2
                    else 3
                end,
                policies.policy_id
        ) as policy_rank
    from combinations
    inner join policies
        on combinations.metric = policies.metric
            and (policies.priority is null or combinations.priority = policies.priority)
            and (policies.tier is null or combinations.tier = policies.tier)
            and (not policies.in_business_hours or combinations.is_on_schedule)
),

-- priority and tier may be null: matched as equal when both are
applied as (
    select
        measured.ticket_id,
        measured.metric,
        measured.cycle,
        measured.priority,
        measured.tier,
        measured.group_id,
        measured.started_at,
        measured.ended_at,
        measured.is_complete,
        measured.schedule_id,
        candidates.policy_id,
        candidates.target_minutes,
        candidates.in_business_hours,
        case when candidates.in_business_hours then measured.business_minutes
            else measured.calendar_minutes
        end as elapsed_minutes
    from measured
    inner join candidates
        on measured.metric = candidates.metric
            and coalesce(measured.priority, '') = coalesce(candidates.priority, '')
            and (measured.priority is null) = (candidates.priority is null)
            and coalesce(measured.tier, '') = coalesce(candidates.tier, '')
            and (measured.tier is null) = (candidates.tier is null)
            and measured.is_on_schedule = candidates.is_on_schedule
    where candidates.policy_rank = 1
),

as_of as (
    select as_of_end_at from {{ ref('int_as_of_date') }}
),

-- a breach time is reported for a breached target only (a minority of the applied
-- targets): only those are read again
breached as (
    select
        ticket_id,
        metric,
        cycle,
        in_business_hours,
        case when in_business_hours then schedule_id end as schedule_id,
        target_minutes,
        started_at,
        ended_at
    from applied
    where elapsed_minutes > target_minutes
),

-- their spans, with the end each is counted to: first_reply, resolution and each
-- next_reply cycle are one span each, the metric's own start and end (ended_at is the
-- span's end: null exactly while it runs); requester_wait and agent_work run in several
-- spans (status segments), read from int_ticket_metric_spans
single_spans as (
    select
        ticket_id,
        metric,
        cycle,
        in_business_hours,
        schedule_id,
        target_minutes,
        started_at as span_start_at,
        ended_at as span_end_at
    from breached
    where metric not in ('requester_wait', 'agent_work')
),

breached_spans as (
    select
        single_spans.ticket_id,
        single_spans.metric,
        single_spans.cycle,
        single_spans.in_business_hours,
        single_spans.schedule_id,
        single_spans.target_minutes,
        single_spans.span_start_at,
        {{ support_span_end_at('single_spans', 'as_of.as_of_end_at') }}
            as counted_end_at
    from single_spans
    cross join as_of
    union all
    select
        spans.ticket_id,
        spans.metric,
        spans.cycle,
        breached.in_business_hours,
        breached.schedule_id,
        breached.target_minutes,
        spans.span_start_at,
        {{ support_span_end_at('spans', 'as_of.as_of_end_at') }} as counted_end_at
    from {{ ref('int_ticket_metric_spans') }} as spans
    inner join breached
        on spans.ticket_id = breached.ticket_id
            and spans.metric = breached.metric
            and spans.cycle = breached.cycle
    cross join as_of
    where spans.metric in ('requester_wait', 'agent_work')
        and breached.metric in ('requester_wait', 'agent_work')
),

-- the business clock at both ends of the business-hours ones (macro
-- support_business_clock)
{{ support_business_clock(
    'breached_spans', 'span_start_at', 'counted_end_at', 'breached_clocks'
) }},

span_seconds as (
    select
        ticket_id,
        metric,
        cycle,
        in_business_hours,
        schedule_id,
        target_minutes,
        span_start_at,
        counted_end_at,
        start_clock,
        case
            when in_business_hours then end_clock - start_clock
            else {{ dbt.datediff('span_start_at', 'counted_end_at', 'second') }}
        end as elapsed_seconds
    from breached_clocks
),

-- the elapsed seconds up to each span's end: a single span's own; the status spans'
-- running sum in time order
cumulative as (
    select
        ticket_id,
        metric,
        cycle,
        in_business_hours,
        schedule_id,
        target_minutes,
        counted_end_at,
        start_clock,
        elapsed_seconds,
        elapsed_seconds as cumulative_seconds
    from span_seconds
    where metric not in ('requester_wait', 'agent_work')
    union all
    select
        ticket_id,
        metric,
        cycle,
        in_business_hours,
        schedule_id,
        target_minutes,
        counted_end_at,
        start_clock,
        elapsed_seconds,
        sum(elapsed_seconds) over (
            partition by ticket_id, metric, cycle
            order by span_start_at
            rows between unbounded preceding and current row
        ) as cumulative_seconds
    from span_seconds
    where metric in ('requester_wait', 'agent_work')
),

-- the span in which the elapsed seconds reach the target
reaching as (
    select
        ticket_id,
        metric,
        cycle,
        in_business_hours,
        schedule_id,
        target_minutes,
        counted_end_at,
        start_clock,
        cumulative_seconds - elapsed_seconds as seconds_before,
        cumulative_seconds,
        -- on the business clock: the clock value at which the target is reached
        start_clock + target_minutes * 60 - (cumulative_seconds - elapsed_seconds)
            as target_clock
    from cumulative
    where cumulative_seconds >= target_minutes * 60
        and cumulative_seconds - elapsed_seconds < target_minutes * 60
),

-- in calendar time: the target is reached before the span's end by the seconds the
-- span's end is past it
calendar_breaches as (
    select
        ticket_id,
        metric,
        cycle,
        {{ dbt.dateadd(
            'second',
            'cast(round(target_minutes * 60 - cumulative_seconds) as bigint)',
            'counted_end_at'
        ) }} as breached_at
    from reaching
    where not in_business_hours
),

business_reaching as (
    select * from reaching
    where in_business_hours
),

-- in business time: the business-hour interval in which the clock reaches that value
-- (macro support_business_clock_reach), and the piece of it the span covers
{{ support_business_clock_reach('business_reaching', 'target_clock', 'reached') }},

-- the piece of the span in that interval, and the elapsed seconds at its end
reached_pieces as (
    select
        ticket_id,
        metric,
        cycle,
        target_minutes,
        seconds_before,
        start_clock,
        reached_start_at,
        reached_seconds_before,
        case
            when reached_end_at < counted_end_at then reached_end_at
            else counted_end_at
        end as piece_end_at
    from reached
),

business_pieces as (
    select
        ticket_id,
        metric,
        cycle,
        target_minutes,
        piece_end_at,
        seconds_before + reached_seconds_before
        + {{ dbt.datediff('reached_start_at', 'piece_end_at', 'second') }}
        - start_clock as cumulative_seconds
    from reached_pieces
),

business_breaches as (
    select
        ticket_id,
        metric,
        cycle,
        {{ dbt.dateadd(
            'second',
            'cast(round(target_minutes * 60 - cumulative_seconds) as bigint)',
            'piece_end_at'
        ) }} as breached_at
    from business_pieces
),

breaches as (
    select * from calendar_breaches
    union all
    select * from business_breaches
),

-- the applied targets with their status; a breached one with the instant it was
-- breached
statuses as (
    select
        applied.ticket_id,
        applied.metric,
        applied.cycle,
        applied.policy_id,
        applied.priority,
        applied.tier,
        applied.group_id,
        applied.started_at,
        applied.in_business_hours,
        applied.target_minutes,
        applied.elapsed_minutes,
        cast(null as timestamp) as breached_at,
        case when applied.is_complete then 'achieved' else 'pending' end as sla_status
    from applied
    where not coalesce(applied.elapsed_minutes > applied.target_minutes, false)
    union all
    select
        applied.ticket_id,
        applied.metric,
        applied.cycle,
        applied.policy_id,
        applied.priority,
        applied.tier,
        applied.group_id,
        applied.started_at,
        applied.in_business_hours,
        applied.target_minutes,
        applied.elapsed_minutes,
        -- the instant the clock reached the target
        breaches.breached_at,
        'breached' as sla_status
    from applied
    left join breaches
        on applied.ticket_id = breaches.ticket_id
            and applied.metric = breaches.metric
            and applied.cycle = breaches.cycle
    where applied.elapsed_minutes > applied.target_minutes
),

final as (
    select
        ticket_id,
        metric,
        cast(cycle as integer) as cycle,
        policy_id,
        priority,
        coalesce(tier, 'unknown') as tier,
        group_id,
        cast({{ dbt.date_trunc('month', 'started_at') }} as date) as started_month,
        in_business_hours,
        cast(target_minutes as {{ type_double() }}) as target_minutes,
        cast(elapsed_minutes as {{ type_double() }}) as elapsed_minutes,
        breached_at,
        sla_status
    from statuses
)

select * from final

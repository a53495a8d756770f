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

candidates as (
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
        policies.policy_id,
        policies.target_minutes,
        policies.in_business_hours,
        case when policies.in_business_hours then times.business_minutes
            else times.calendar_minutes
        end as elapsed_minutes,
        row_number() over (
            partition by times.ticket_id, times.metric, times.cycle
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
    from times
    inner join assignments
        on times.ticket_id = assignments.ticket_id
    left join tiers
        on times.ticket_id = tiers.ticket_id
    inner join policies
        on times.metric = policies.metric
            and (policies.priority is null or assignments.priority = policies.priority)
            and (policies.tier is null or tiers.tier = policies.tier)
            and (not policies.in_business_hours or times.schedule_id is not null)
),

applied as (
    select * from candidates
    where policy_rank = 1
),

-- a breach time is reported for a breached target only, so only the pieces of those
-- (a minority of the applied targets) are summed in time order
breached as (
    select
        ticket_id,
        metric,
        cycle,
        target_minutes,
        case when in_business_hours then 'business' else 'calendar' end as basis
    from applied
    where elapsed_minutes > target_minutes
),

-- their spans, and the pieces of those (macro support_metric_pieces; a piece depends
-- only on its span, so these are the breached targets' pieces ticket_metric_times sums)
breached_spans as (
    select
        spans.ticket_id,
        spans.metric,
        spans.cycle,
        spans.span_start_at,
        spans.span_end_at
    from {{ ref('int_ticket_metric_spans') }} as spans
    inner join breached
        on spans.ticket_id = breached.ticket_id
            and spans.metric = breached.metric
            and spans.cycle = breached.cycle
),

{{ support_metric_pieces('breached_spans', 'breached_pieces') }},

-- the piece of time in which the elapsed minutes reach the target
pieces as (
    select
        pieces.ticket_id,
        pieces.metric,
        pieces.cycle,
        pieces.piece_end_at,
        sum(pieces.piece_seconds) over (
            partition by pieces.ticket_id, pieces.metric, pieces.cycle, pieces.basis
            order by pieces.piece_start_at
            rows between unbounded preceding and current row
        ) as cumulative_seconds,
        breached.target_minutes
    from breached_pieces as pieces
    inner join breached
        on pieces.ticket_id = breached.ticket_id
            and pieces.metric = breached.metric
            and pieces.cycle = breached.cycle
            and pieces.basis = breached.basis
),

breaches as (
    select
        ticket_id,
        metric,
        cycle,
        min(
            {{ dbt.dateadd(
                'second',
                'cast(round(target_minutes * 60 - cumulative_seconds) as bigint)',
                'piece_end_at'
            ) }}
        ) as breached_at
    from pieces
    where cumulative_seconds >= target_minutes * 60
    group by ticket_id, metric, cycle
),

final as (
    select
        applied.ticket_id,
        applied.metric,
        cast(applied.cycle as integer) as cycle,
        applied.policy_id,
        applied.priority,
        coalesce(applied.tier, 'unknown') as tier,
        applied.group_id,
        cast({{ dbt.date_trunc('month', 'applied.started_at') }} as date)
            as started_month,
        applied.in_business_hours,
        cast(applied.target_minutes as {{ type_double() }}) as target_minutes,
        cast(applied.elapsed_minutes as {{ type_double() }}) as elapsed_minutes,
        -- the instant the clock reached the target, for a breached target only
        case
            when applied.elapsed_minutes > applied.target_minutes
                then breaches.breached_at
        end as breached_at,
        case
            when applied.elapsed_minutes > applied.target_minutes then 'breached'
            when applied.is_complete then 'achieved'
            else 'pending'
        end as sla_status
    from applied
    left join breaches
        on applied.ticket_id = breaches.ticket_id
            and applied.metric = breaches.metric
            and applied.cycle = breaches.cycle
)

select * from final

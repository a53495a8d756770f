-- One row per day, status, group, priority and age bucket with open tickets (grain:
-- backlog_date, status, group_id, priority, age_bucket; '(none)' for a missing group
-- or priority): the tickets whose status at the end of the day (the last instant
-- before the next midnight, UTC) was new, open, pending or on_hold. Days from the
-- first ticket's creation date to the as-of date. age_bucket is the ticket's age at
-- the end of the day: 0-1d, 1-3d, 3-7d, 7-30d or 30d+. Zero rows unless the events
-- carry the optional new_status column.
with

open_segments as (
    {{ support_open_segments() }}
),

tickets as (
    select
        ticket_id,
        created_at
    from {{ ref('stg_ticketing__tickets') }}
),

assignments as (
    select
        ticket_id,
        priority,
        group_id
    from {{ ref('stg_ticketing__ticket_assignments') }}
),

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

bounds as (
    select
        cast(min(tickets.created_at) as date) as first_day,
        max(as_of.as_of_date) as last_day
    from tickets
    cross join as_of
    where exists (select 1 from open_segments)
),

days as (
    select
        spine.date_day as backlog_date,
        {{ dbt.dateadd('day', 1, 'cast(spine.date_day as timestamp)') }} as day_end_at
    from {{ ref('metricflow_time_spine') }} as spine
    inner join bounds
        on spine.date_day between bounds.first_day and bounds.last_day
),

-- the days at whose end a segment holds (support_segment_holds_at: started before the
-- end of the day, ended at or after it), the days d with start < d + 1 day <= end: from
-- the date of its start to the date of (its end - 1 day), or to the last day while it
-- runs. Two plain bounds, without the OR of a running segment's null end that made the
-- join compare every segment with every day.
open_spans as (
    select
        open_segments.ticket_id,
        open_segments.status,
        cast(open_segments.segment_start_at as date) as first_day,
        coalesce(
            cast({{ dbt.dateadd('day', -1, 'open_segments.segment_end_at') }} as date),
            bounds.last_day
        ) as last_day
    from open_segments
    cross join bounds
),

-- most segments hold at no day's end (they end the day they start): left out before the
-- join, and the ticket's creation, group and priority read before the fan-out
holding_spans as (
    select
        open_spans.status,
        open_spans.first_day,
        open_spans.last_day,
        tickets.created_at,
        coalesce(assignments.group_id, '(none)') as group_id,
        coalesce(assignments.priority, '(none)') as priority
    from open_spans
    inner join tickets
        on open_spans.ticket_id = tickets.ticket_id
    left join assignments
        on open_spans.ticket_id = assignments.ticket_id
    where open_spans.last_day >= open_spans.first_day
),

open_at_day_end as (
    select
        days.backlog_date,
        holding_spans.status,
        holding_spans.group_id,
        holding_spans.priority,
        {{ dbt.datediff('holding_spans.created_at', 'days.day_end_at', 'second') }}
            as age_seconds
    from holding_spans
    inner join days
        on holding_spans.first_day <= days.backlog_date
            and holding_spans.last_day >= days.backlog_date
),

bucketed as (
    select
        backlog_date,
        status,
        group_id,
        priority,
        case
            when age_seconds < 86400 then '0-1d'
            when age_seconds < 3 * 86400 then '1-3d'
            when age_seconds < 7 * 86400 then '3-7d'
            when age_seconds < 30 * 86400 then '7-30d'
            else '30d+'
        end as age_bucket
    from open_at_day_end
),

final as (
    select
        backlog_date,
        status,
        group_id,
        priority,
        age_bucket,
        cast(count(*) as bigint) as open_tickets
    from bucketed
    group by backlog_date, status, group_id, priority, age_bucket
)

select * from final

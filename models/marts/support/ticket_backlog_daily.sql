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

open_at_day_end as (
    select
        days.backlog_date,
        open_segments.status,
        coalesce(assignments.group_id, '(none)') as group_id,
        coalesce(assignments.priority, '(none)') as priority,
        {{ dbt.datediff('tickets.created_at', 'days.day_end_at', 'second') }}
            as age_seconds
    from open_segments
    inner join days
        on {{ support_segment_holds_at('open_segments', 'days.day_end_at') }}
    inner join tickets
        on open_segments.ticket_id = tickets.ticket_id
    left join assignments
        on open_segments.ticket_id = assignments.ticket_id
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

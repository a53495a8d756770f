-- One row per ticket and status it was in (grain: ticket_id, status): how many times
-- it entered the status, its calendar minutes there and its business minutes on the
-- ticket's schedule (null without a schedule); the current status counts to the end of
-- the as-of date. Every valid ticket has at least its current status. Zero rows unless
-- the events carry the optional new_status column.
with

segments as (
    select
        ticket_id,
        segment_number,
        status,
        segment_start_at,
        segment_end_at
    from {{ ref('int_ticket_status_segments') }}
),

as_of as (
    select as_of_end_at from {{ ref('int_as_of_date') }}
),

assignments as (
    select
        ticket_id,
        priority,
        group_id,
        schedule_id
    from {{ ref('stg_ticketing__ticket_assignments') }}
),

-- Business seconds of a piece [a, b) = B(b) - B(a), where B(t) is the schedule's
-- business seconds from its first interval up to t: the seconds of the intervals before
-- the last one that started at or before t, plus the part of that one before t. The
-- intervals of one schedule are disjoint (docs/support_operations.md). That interval is
-- found by a running maximum over the schedule's intervals and piece boundaries in time
-- order (portable; a range join of every piece with every interval of its schedule took
-- 30 s at 20,000 accounts).
interval_lengths as (
    select
        schedule_id,
        interval_start_at,
        {{ dbt.datediff('interval_start_at', 'interval_end_at', 'second') }}
            as interval_seconds
    from {{ ref('int_support_business_intervals') }}
),

intervals as (
    select
        schedule_id,
        interval_start_at,
        interval_seconds,
        row_number() over (
            partition by schedule_id order by interval_start_at
        ) as interval_seq,
        coalesce(sum(interval_seconds) over (
            partition by schedule_id order by interval_start_at
            rows between unbounded preceding and 1 preceding
        ), 0) as seconds_before
    from interval_lengths
),

clipped as (
    select
        segments.ticket_id,
        segments.segment_number,
        segments.status,
        segments.segment_end_at is null as is_current,
        segments.segment_start_at as piece_start_at,
        case
            when segments.segment_end_at is not null then segments.segment_end_at
            when as_of.as_of_end_at > segments.segment_start_at then as_of.as_of_end_at
            else segments.segment_start_at
        end as piece_end_at
    from segments
    cross join as_of
),

boundaries as (
    select
        assignments.schedule_id,
        clipped.ticket_id,
        clipped.status,
        -1 as direction,
        clipped.piece_start_at as boundary_at
    from clipped
    inner join assignments
        on clipped.ticket_id = assignments.ticket_id
    where assignments.schedule_id is not null
    union all
    select
        assignments.schedule_id,
        clipped.ticket_id,
        clipped.status,
        1 as direction,
        clipped.piece_end_at as boundary_at
    from clipped
    inner join assignments
        on clipped.ticket_id = assignments.ticket_id
    where assignments.schedule_id is not null
),

timeline as (
    select
        schedule_id,
        boundary_at as at_time,
        1 as sort_order,
        ticket_id,
        status,
        direction,
        cast(null as integer) as interval_seq
    from boundaries
    union all
    select
        schedule_id,
        interval_start_at as at_time,
        0 as sort_order,
        cast(null as {{ dbt.type_string() }}) as ticket_id,
        cast(null as {{ dbt.type_string() }}) as status,
        0 as direction,
        cast(interval_seq as integer) as interval_seq
    from intervals
),

located as (
    select
        schedule_id,
        at_time,
        ticket_id,
        status,
        direction,
        max(interval_seq) over (
            partition by schedule_id order by at_time, sort_order
            rows between unbounded preceding and current row
        ) as interval_seq
    from timeline
),

located_seconds as (
    select
        located.ticket_id,
        located.status,
        located.direction,
        intervals.seconds_before,
        intervals.interval_seconds,
        {{ dbt.datediff('intervals.interval_start_at', 'located.at_time', 'second') }}
            as seconds_into_interval
    from located
    inner join intervals
        on located.schedule_id = intervals.schedule_id
            and located.interval_seq = intervals.interval_seq
    where located.ticket_id is not null
),

-- a boundary before the schedule's first interval has B = 0: it has no row here
business as (
    select
        ticket_id,
        status,
        sum(
            direction * (
                seconds_before
                + least(greatest(seconds_into_interval, 0), interval_seconds)
            )
        ) as business_seconds
    from located_seconds
    group by ticket_id, status
),

calendar as (
    select
        ticket_id,
        status,
        count(*) as entries,
        min(piece_start_at) as first_entered_at,
        max(case when is_current then 1 else 0 end) as is_current,
        sum({{ dbt.datediff('piece_start_at', 'piece_end_at', 'second') }})
            as calendar_seconds
    from clipped
    group by ticket_id, status
),

final as (
    select
        calendar.ticket_id,
        calendar.status,
        assignments.priority,
        assignments.group_id,
        assignments.schedule_id,
        cast(calendar.entries as integer) as entries,
        calendar.first_entered_at,
        calendar.is_current = 1 as is_current,
        cast(calendar.calendar_seconds as {{ type_double() }}) / 60 as calendar_minutes,
        {{ business_minutes('assignments.schedule_id', 'business.business_seconds') }}
            as business_minutes
    from calendar
    left join business
        on calendar.ticket_id = business.ticket_id
            and calendar.status = business.status
    left join assignments
        on calendar.ticket_id = assignments.ticket_id
)

select * from final

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

intervals as (
    select
        schedule_id,
        interval_start_at,
        interval_end_at
    from {{ ref('int_support_business_intervals') }}
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

business as (
    select
        clipped.ticket_id,
        clipped.status,
        sum(
            {{ dbt.datediff(
                'case when intervals.interval_start_at > clipped.piece_start_at'
                ~ ' then intervals.interval_start_at else clipped.piece_start_at end',
                'case when intervals.interval_end_at < clipped.piece_end_at'
                ~ ' then intervals.interval_end_at else clipped.piece_end_at end',
                'second'
            ) }}
        ) as business_seconds
    from clipped
    inner join assignments
        on clipped.ticket_id = assignments.ticket_id
    inner join intervals
        on assignments.schedule_id = intervals.schedule_id
            and clipped.piece_end_at > intervals.interval_start_at
            and clipped.piece_start_at < intervals.interval_end_at
    group by clipped.ticket_id, clipped.status
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
        case
            when assignments.schedule_id is not null
                then cast(coalesce(business.business_seconds, 0) as {{ type_double() }})
                    / 60
        end as business_minutes
    from calendar
    left join business
        on calendar.ticket_id = business.ticket_id
            and calendar.status = business.status
    left join assignments
        on calendar.ticket_id = assignments.ticket_id
)

select * from final

-- the business clock (macro support_business_clock) reads the time spine; named here so
-- that dbt's partial parsing knows it however the macro changes
-- depends_on: {{ ref('metricflow_time_spine') }}
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

clipped as (
    select
        segments.ticket_id,
        segments.segment_number,
        segments.status,
        assignments.schedule_id,
        segments.segment_end_at is null as is_current,
        segments.segment_start_at as piece_start_at,
        case
            when segments.segment_end_at is not null then segments.segment_end_at
            when as_of.as_of_end_at > segments.segment_start_at then as_of.as_of_end_at
            else segments.segment_start_at
        end as piece_end_at
    from segments
    cross join as_of
    left join assignments
        on segments.ticket_id = assignments.ticket_id
),

-- the business clock at both ends of every piece of a ticket on a schedule (macro
-- support_business_clock): a piece's business seconds are the difference
{{ support_business_clock(
    'clipped', 'piece_start_at', 'piece_end_at', 'clocked'
) }},

durations as (
    select
        ticket_id,
        status,
        max(schedule_id) as schedule_id,
        count(*) as entries,
        min(piece_start_at) as first_entered_at,
        max(case when is_current then 1 else 0 end) as is_current,
        sum({{ dbt.datediff('piece_start_at', 'piece_end_at', 'second') }})
            as calendar_seconds,
        sum(end_clock - start_clock) as business_seconds
    from clocked
    group by ticket_id, status
),

final as (
    select
        durations.ticket_id,
        durations.status,
        assignments.priority,
        assignments.group_id,
        durations.schedule_id,
        cast(durations.entries as integer) as entries,
        durations.first_entered_at,
        durations.is_current = 1 as is_current,
        cast(durations.calendar_seconds as {{ type_double() }}) / 60
            as calendar_minutes,
        {{ business_minutes('durations.schedule_id', 'durations.business_seconds') }}
            as business_minutes
    from durations
    left join assignments
        on durations.ticket_id = assignments.ticket_id
)

select * from final

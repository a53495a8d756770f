-- One row per piece of time a ticket metric ran, in calendar and in business time
-- (grain: ticket_id, metric, cycle, basis, piece_start_at). calendar pieces are the
-- spans (a running span ends at the end of the as-of date); business pieces are their
-- overlaps with the business-hour intervals of the ticket's schedule. Seconds are whole
-- (timestamps of the contract carry whole seconds).
with

spans as (
    select
        ticket_id,
        metric,
        cycle,
        span_start_at,
        span_end_at,
        is_complete
    from {{ ref('int_ticket_metric_spans') }}
),

as_of as (
    select as_of_end_at from {{ ref('int_as_of_date') }}
),

assignments as (
    select
        ticket_id,
        schedule_id
    from {{ ref('stg_ticketing__ticket_assignments') }}
    where schedule_id is not null
),

-- The intervals a piece [a, b) overlaps are found without a range join of every piece
-- with every interval of its schedule (6 s at 20,000 accounts): the intervals of one
-- schedule are disjoint (docs/support_operations.md), so in time order they overlap
-- [a, b) from the one after the last interval that ended at or before a, to the last
-- one that started before b. Both are running maxima over the schedule's interval edges
-- and piece boundaries in time order (as in ticket_status_durations); the overlaps are
-- then that many consecutive intervals, reached by equality on their number in the
-- schedule.
intervals as (
    select
        schedule_id,
        interval_start_at,
        interval_end_at,
        row_number() over (
            partition by schedule_id order by interval_start_at
        ) as interval_seq
    from {{ ref('int_support_business_intervals') }}
),

clipped as (
    select
        spans.ticket_id,
        spans.metric,
        spans.cycle,
        spans.span_start_at as piece_start_at,
        case
            -- an end before the start (an event stamped before the ticket) counts
            -- nothing
            when spans.span_end_at is not null
                and spans.span_end_at > spans.span_start_at
                then spans.span_end_at
            when spans.span_end_at is not null then spans.span_start_at
            when as_of.as_of_end_at > spans.span_start_at then as_of.as_of_end_at
            else spans.span_start_at
        end as piece_end_at
    from spans
    cross join as_of
),

calendar_pieces as (
    select
        ticket_id,
        metric,
        cycle,
        'calendar' as basis,
        piece_start_at,
        piece_end_at
    from clipped
),

scheduled as (
    select
        assignments.schedule_id,
        clipped.ticket_id,
        clipped.metric,
        clipped.cycle,
        clipped.piece_start_at,
        clipped.piece_end_at
    from clipped
    inner join assignments
        on clipped.ticket_id = assignments.ticket_id
),

-- at one instant: interval ends (0) before piece ends (1) before interval starts (2)
-- before piece starts (3), so that an interval ending at a does not overlap [a, b) and
-- one starting at b does not either
timeline as (
    select
        schedule_id,
        piece_start_at as at_time,
        3 as sort_order,
        ticket_id,
        metric,
        cycle,
        piece_start_at,
        piece_end_at,
        cast(null as integer) as ended_seq,
        cast(null as integer) as started_seq
    from scheduled
    union all
    select
        schedule_id,
        piece_end_at as at_time,
        1 as sort_order,
        ticket_id,
        metric,
        cycle,
        piece_start_at,
        piece_end_at,
        cast(null as integer) as ended_seq,
        cast(null as integer) as started_seq
    from scheduled
    union all
    select
        schedule_id,
        interval_end_at as at_time,
        0 as sort_order,
        cast(null as {{ dbt.type_string() }}) as ticket_id,
        cast(null as {{ dbt.type_string() }}) as metric,
        cast(null as integer) as cycle,
        cast(null as {{ dbt.type_timestamp() }}) as piece_start_at,
        cast(null as {{ dbt.type_timestamp() }}) as piece_end_at,
        cast(interval_seq as integer) as ended_seq,
        cast(null as integer) as started_seq
    from intervals
    union all
    select
        schedule_id,
        interval_start_at as at_time,
        2 as sort_order,
        cast(null as {{ dbt.type_string() }}) as ticket_id,
        cast(null as {{ dbt.type_string() }}) as metric,
        cast(null as integer) as cycle,
        cast(null as {{ dbt.type_timestamp() }}) as piece_start_at,
        cast(null as {{ dbt.type_timestamp() }}) as piece_end_at,
        cast(null as integer) as ended_seq,
        cast(interval_seq as integer) as started_seq
    from intervals
),

located as (
    select
        schedule_id,
        sort_order,
        ticket_id,
        metric,
        cycle,
        piece_start_at,
        piece_end_at,
        max(ended_seq) over (
            partition by schedule_id order by at_time, sort_order
            rows between unbounded preceding and current row
        ) as ended_seq,
        max(started_seq) over (
            partition by schedule_id order by at_time, sort_order
            rows between unbounded preceding and current row
        ) as started_seq
    from timeline
),

-- per piece: the first interval it overlaps (after the last one ended at its start) and
-- the last one (the last one started before its end)
piece_ranges as (
    select
        schedule_id,
        ticket_id,
        metric,
        cycle,
        piece_start_at,
        piece_end_at,
        max(case when sort_order = 3 then coalesce(ended_seq, 0) + 1 end) as first_seq,
        max(case when sort_order = 1 then coalesce(started_seq, 0) end) as last_seq
    from located
    where sort_order in (1, 3)
    group by schedule_id, ticket_id, metric, cycle, piece_start_at, piece_end_at
),

-- 1 .. the most intervals any schedule has: the offsets of the overlapped intervals
offsets as (
    select distinct interval_seq as offset_seq
    from intervals
),

piece_overlaps as (
    select
        piece_ranges.schedule_id,
        piece_ranges.ticket_id,
        piece_ranges.metric,
        piece_ranges.cycle,
        piece_ranges.piece_start_at,
        piece_ranges.piece_end_at,
        piece_ranges.first_seq + offsets.offset_seq - 1 as interval_seq
    from piece_ranges
    inner join offsets
        on offsets.offset_seq <= piece_ranges.last_seq - piece_ranges.first_seq + 1
),

business_pieces as (
    select
        piece_overlaps.ticket_id,
        piece_overlaps.metric,
        piece_overlaps.cycle,
        'business' as basis,
        case
            when intervals.interval_start_at > piece_overlaps.piece_start_at
                then intervals.interval_start_at
            else piece_overlaps.piece_start_at
        end as piece_start_at,
        case
            when intervals.interval_end_at < piece_overlaps.piece_end_at
                then intervals.interval_end_at
            else piece_overlaps.piece_end_at
        end as piece_end_at
    from piece_overlaps
    inner join intervals
        on piece_overlaps.schedule_id = intervals.schedule_id
            and piece_overlaps.interval_seq = intervals.interval_seq
),

final as (
    select
        ticket_id,
        metric,
        cycle,
        basis,
        piece_start_at,
        piece_end_at,
        {{ dbt.datediff('piece_start_at', 'piece_end_at', 'second') }} as piece_seconds
    from (
        select * from calendar_pieces
        union all
        select * from business_pieces
    ) as pieces
)

select * from final

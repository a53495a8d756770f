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

intervals as (
    select
        schedule_id,
        interval_start_at,
        interval_end_at
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

business_pieces as (
    select
        clipped.ticket_id,
        clipped.metric,
        clipped.cycle,
        'business' as basis,
        case
            when intervals.interval_start_at > clipped.piece_start_at
                then intervals.interval_start_at
            else clipped.piece_start_at
        end as piece_start_at,
        case
            when intervals.interval_end_at < clipped.piece_end_at
                then intervals.interval_end_at
            else clipped.piece_end_at
        end as piece_end_at
    from clipped
    inner join assignments
        on clipped.ticket_id = assignments.ticket_id
    inner join intervals
        on assignments.schedule_id = intervals.schedule_id
            and clipped.piece_end_at > intervals.interval_start_at
            and clipped.piece_start_at < intervals.interval_end_at
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

{#- The pieces of time ticket metrics ran, in calendar and in business time, as CTEs a
    model writes after its own (`with spans as (...), {{ support_metric_pieces('spans') }}`):
    one row per piece (ticket_id, metric, cycle, basis, piece_start_at, piece_end_at,
    piece_seconds) in the CTE named `name`; the helper CTEs are named `<name>__...`.
    `spans` names a CTE with ticket_id, metric, cycle, span_start_at and span_end_at (rows
    of int_ticket_metric_spans). basis calendar: the span, a running one cut at the end of
    the as-of date; basis business: its overlaps with the business-hour intervals of the
    ticket's schedule (int_support_business_intervals). Seconds are whole (timestamps of
    the contract carry whole seconds). A piece depends only on its span, the schedule and
    the as-of date, so a reader that passes some spans gets exactly their pieces:
    ticket_metric_times sums every span's, ticket_sla_metrics finds the breach instant in
    those of the breached targets only (docs/benchmark.md, "Support operations").

    The intervals a piece [a, b) overlaps are found without a range join of every piece
    with every interval of its schedule (6 s at 20,000 accounts): the intervals of one
    schedule are disjoint (docs/support_operations.md), so in time order they overlap
    [a, b) from the one after the last interval that ended at or before a, to the last one
    that started before b. Both are running maxima over the schedule's interval edges and
    piece boundaries in time order (as in ticket_status_durations); the overlaps are then
    that many consecutive intervals, reached by equality on their number in the schedule. -#}
{% macro support_metric_pieces(spans, name='pieces') -%}
{{ name }}__as_of as (
    select as_of_end_at from {{ ref('int_as_of_date') }}
),

{{ name }}__schedules as (
    select
        ticket_id,
        schedule_id
    from {{ ref('stg_ticketing__ticket_assignments') }}
    where schedule_id is not null
),

{{ name }}__intervals as (
    select
        schedule_id,
        interval_start_at,
        interval_end_at,
        row_number() over (
            partition by schedule_id order by interval_start_at
        ) as interval_seq
    from {{ ref('int_support_business_intervals') }}
),

{{ name }}__clipped as (
    select
        {{ spans }}.ticket_id,
        {{ spans }}.metric,
        {{ spans }}.cycle,
        {{ spans }}.span_start_at as piece_start_at,
        case
            -- an end before the start (an event stamped before the ticket) counts
            -- nothing
            when {{ spans }}.span_end_at is not null
                and {{ spans }}.span_end_at > {{ spans }}.span_start_at
                then {{ spans }}.span_end_at
            when {{ spans }}.span_end_at is not null then {{ spans }}.span_start_at
            when {{ name }}__as_of.as_of_end_at > {{ spans }}.span_start_at
                then {{ name }}__as_of.as_of_end_at
            else {{ spans }}.span_start_at
        end as piece_end_at
    from {{ spans }}
    cross join {{ name }}__as_of
),

{{ name }}__scheduled as (
    select
        {{ name }}__schedules.schedule_id,
        {{ name }}__clipped.ticket_id,
        {{ name }}__clipped.metric,
        {{ name }}__clipped.cycle,
        {{ name }}__clipped.piece_start_at,
        {{ name }}__clipped.piece_end_at
    from {{ name }}__clipped
    inner join {{ name }}__schedules
        on {{ name }}__clipped.ticket_id = {{ name }}__schedules.ticket_id
),

-- at one instant: interval ends (0) before piece ends (1) before interval starts (2)
-- before piece starts (3), so that an interval ending at a does not overlap [a, b) and
-- one starting at b does not either
{{ name }}__timeline as (
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
    from {{ name }}__scheduled
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
    from {{ name }}__scheduled
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
    from {{ name }}__intervals
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
    from {{ name }}__intervals
),

{{ name }}__located as (
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
    from {{ name }}__timeline
),

-- per piece: the first interval it overlaps (after the last one ended at its start) and
-- the last one (the last one started before its end)
{{ name }}__ranges as (
    select
        schedule_id,
        ticket_id,
        metric,
        cycle,
        piece_start_at,
        piece_end_at,
        max(case when sort_order = 3 then coalesce(ended_seq, 0) + 1 end) as first_seq,
        max(case when sort_order = 1 then coalesce(started_seq, 0) end) as last_seq
    from {{ name }}__located
    where sort_order in (1, 3)
    group by schedule_id, ticket_id, metric, cycle, piece_start_at, piece_end_at
),

-- 1 .. the most intervals any schedule has: the offsets of the overlapped intervals
{{ name }}__offsets as (
    select distinct interval_seq as offset_seq
    from {{ name }}__intervals
),

{{ name }}__overlaps as (
    select
        {{ name }}__ranges.schedule_id,
        {{ name }}__ranges.ticket_id,
        {{ name }}__ranges.metric,
        {{ name }}__ranges.cycle,
        {{ name }}__ranges.piece_start_at,
        {{ name }}__ranges.piece_end_at,
        {{ name }}__ranges.first_seq + {{ name }}__offsets.offset_seq - 1 as interval_seq
    from {{ name }}__ranges
    inner join {{ name }}__offsets
        on {{ name }}__offsets.offset_seq
            <= {{ name }}__ranges.last_seq - {{ name }}__ranges.first_seq + 1
),

{{ name }}__business as (
    select
        {{ name }}__overlaps.ticket_id,
        {{ name }}__overlaps.metric,
        {{ name }}__overlaps.cycle,
        'business' as basis,
        case
            when {{ name }}__intervals.interval_start_at > {{ name }}__overlaps.piece_start_at
                then {{ name }}__intervals.interval_start_at
            else {{ name }}__overlaps.piece_start_at
        end as piece_start_at,
        case
            when {{ name }}__intervals.interval_end_at < {{ name }}__overlaps.piece_end_at
                then {{ name }}__intervals.interval_end_at
            else {{ name }}__overlaps.piece_end_at
        end as piece_end_at
    from {{ name }}__overlaps
    inner join {{ name }}__intervals
        on {{ name }}__overlaps.schedule_id = {{ name }}__intervals.schedule_id
            and {{ name }}__overlaps.interval_seq = {{ name }}__intervals.interval_seq
),

{{ name }} as (
    select
        ticket_id,
        metric,
        cycle,
        basis,
        piece_start_at,
        piece_end_at,
        {{ dbt.datediff('piece_start_at', 'piece_end_at', 'second') }} as piece_seconds
    from (
        select
            ticket_id,
            metric,
            cycle,
            'calendar' as basis,
            piece_start_at,
            piece_end_at
        from {{ name }}__clipped
        union all
        select
            ticket_id,
            metric,
            cycle,
            basis,
            piece_start_at,
            piece_end_at
        from {{ name }}__business
    ) as unioned
)
{%- endmacro %}

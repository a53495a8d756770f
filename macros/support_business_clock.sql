{#- The business clock of a schedule: B(t), the business seconds of the schedule from
    its first interval (int_support_business_intervals) up to the instant t, so that the
    business seconds of a stretch [a, b) are B(b) - B(a) (docs/support_operations.md,
    "Business time"). Written as CTEs after a model's own (`with rows as (...), {{
    support_business_clock('rows', 'start_at', 'end_at') }}`): the CTE `name` holds
    every row and column of the CTE `rows` (which has a schedule_id column and the two
    timestamp columns named, never null) plus start_clock and end_clock, B at those two
    (bigint seconds; null for a row without a schedule). Helper CTEs: `<name>__...`.

    B(t) = the seconds of the schedule's intervals before the last one that started at
    or before t, plus the part of that one before t (0 before the first interval). The
    intervals of one schedule are disjoint, so this is exact. That interval is looked up
    in a small table of pieces: each schedule's timeline of UTC midnights (the days of
    the rows' instants) and interval starts, cut at each of them, every piece with the
    last interval started at or before its start (a running maximum over a few thousand
    rows). An instant lies in exactly one piece of its UTC day, found by an equality
    join on (schedule_id, day) with the piece's bounds as a filter: no sort, window or
    distinct over the rows, no range join. Portable SQL. -#}

{#- The schedule's intervals in time order with their number (interval_seq) and the
    business seconds before each (seconds_before); shared by the clock and its inverse.
    -#}
{% macro support_business_clock_intervals(name) -%}
{{ name }}__interval_lengths as (
    select
        schedule_id,
        interval_start_at,
        interval_end_at,
        {{ dbt.datediff('interval_start_at', 'interval_end_at', 'second') }}
            as interval_seconds
    from {{ ref('int_support_business_intervals') }}
),

{{ name }}__intervals as (
    select
        schedule_id,
        interval_start_at,
        interval_end_at,
        interval_seconds,
        cast(row_number() over (
            partition by schedule_id order by interval_start_at
        ) as integer) as interval_seq,
        coalesce(sum(interval_seconds) over (
            partition by schedule_id order by interval_start_at
            rows between unbounded preceding and 1 preceding
        ), 0) as seconds_before
    from {{ name }}__interval_lengths
)
{%- endmacro %}

{#- B(at) from the located interval `intervals` (null when at is before the first). -#}
{% macro support_business_clock_value(intervals, at) -%}
    coalesce(
        {{ intervals }}.seconds_before
        + least(
            greatest(
                {{ dbt.datediff(intervals ~ '.interval_start_at', at, 'second') }}, 0
            ),
            {{ intervals }}.interval_seconds
        ),
        0
    )
{%- endmacro %}

{% macro support_business_clock(rows, start_column, end_column, name='clock') -%}
{{ support_business_clock_intervals(name) }},

-- the UTC days the rows' instants fall on
{{ name }}__bounds as (
    select
        min(least(
            cast({{ start_column }} as date), cast({{ end_column }} as date)
        )) as first_day,
        max(greatest(
            cast({{ start_column }} as date), cast({{ end_column }} as date)
        )) as last_day
    from {{ rows }}
    where schedule_id is not null
),

{{ name }}__days as (
    select
        schedules.schedule_id,
        spine.date_day
    from {{ ref('metricflow_time_spine') }} as spine
    inner join {{ name }}__bounds as bounds
        on spine.date_day between bounds.first_day and bounds.last_day
    cross join (
        select distinct schedule_id from {{ name }}__intervals
    ) as schedules
),

-- each schedule's midnights (UTC) and interval starts in time order (an interval start
-- before a midnight at the same instant), with the last interval started at or before
-- each and the next instant of the timeline
{{ name }}__timeline as (
    select
        schedule_id,
        cast(date_day as timestamp) as at_time,
        1 as sort_order,
        cast(null as integer) as interval_seq
    from {{ name }}__days
    union all
    select
        schedule_id,
        interval_start_at as at_time,
        0 as sort_order,
        interval_seq
    from {{ name }}__intervals
),

{{ name }}__located as (
    select
        schedule_id,
        at_time,
        max(interval_seq) over (
            partition by schedule_id order by at_time, sort_order
            rows between unbounded preceding and current row
        ) as interval_seq,
        lead(at_time) over (
            partition by schedule_id order by at_time, sort_order
        ) as next_at
    from {{ name }}__timeline
),

-- the pieces [piece_start_at, piece_end_at) between two consecutive instants of the
-- timeline: none crosses a midnight of the rows' days, and within one the clock's
-- interval is the same. An instant t of a row lies in exactly one piece of its UTC day,
-- found by an equality join on (schedule_id, day): no range join, no sort of the rows.
{{ name }}__pieces as (
    select
        {{ name }}__located.schedule_id,
        cast({{ name }}__located.at_time as date) as piece_day,
        {{ name }}__located.at_time as piece_start_at,
        coalesce(
            {{ name }}__located.next_at,
            {{ dbt.dateadd(
                'day', 1, 'cast(cast(' ~ name ~ '__located.at_time as date) as timestamp)'
            ) }}
        ) as piece_end_at,
        {{ name }}__intervals.interval_start_at,
        {{ name }}__intervals.interval_seconds,
        {{ name }}__intervals.seconds_before
    from {{ name }}__located
    left join {{ name }}__intervals
        on {{ name }}__located.schedule_id = {{ name }}__intervals.schedule_id
            and {{ name }}__located.interval_seq = {{ name }}__intervals.interval_seq
    where {{ name }}__located.next_at is null
        or {{ name }}__located.next_at > {{ name }}__located.at_time
),

{{ name }} as (
    select
        {{ rows }}.*,
        case
            when {{ rows }}.schedule_id is not null
                then {{ support_business_clock_value(
                    name ~ '__starts', rows ~ '.' ~ start_column
                ) }}
        end as start_clock,
        case
            when {{ rows }}.schedule_id is not null
                then {{ support_business_clock_value(
                    name ~ '__ends', rows ~ '.' ~ end_column
                ) }}
        end as end_clock
    from {{ rows }}
    left join {{ name }}__pieces as {{ name }}__starts
        on {{ rows }}.schedule_id = {{ name }}__starts.schedule_id
            and cast({{ rows }}.{{ start_column }} as date) = {{ name }}__starts.piece_day
            and {{ rows }}.{{ start_column }} >= {{ name }}__starts.piece_start_at
            and {{ rows }}.{{ start_column }} < {{ name }}__starts.piece_end_at
    left join {{ name }}__pieces as {{ name }}__ends
        on {{ rows }}.schedule_id = {{ name }}__ends.schedule_id
            and cast({{ rows }}.{{ end_column }} as date) = {{ name }}__ends.piece_day
            and {{ rows }}.{{ end_column }} >= {{ name }}__ends.piece_start_at
            and {{ rows }}.{{ end_column }} < {{ name }}__ends.piece_end_at
)
{%- endmacro %}

{#- The inverse of the business clock (support_business_clock_reach below): for each row
    of the CTE `rows` with a schedule_id, the interval of the schedule in which the
    clock reaches the value of the column `value` (business seconds since the schedule's
    first interval, as B(t)): the first interval of positive length whose end has a
    clock of at least `value`. The CTE `name` holds every column of `rows` plus the
    interval's reached_start_at, reached_end_at and reached_seconds_before (the clock at
    its start); they are null when the clock never reaches the value. Found by a running
    maximum over the intervals' end clocks and the distinct values asked for, in order
    (a value before an interval end equal to it). -#}

{% macro support_business_clock_reach_intervals(name) -%}
{{ support_business_clock_intervals(name) }},

{{ name }}__ends as (
    select
        schedule_id,
        interval_start_at,
        interval_end_at,
        seconds_before,
        cast(seconds_before + interval_seconds as {{ type_double() }}) as seconds_after,
        cast(row_number() over (
            partition by schedule_id order by interval_start_at
        ) as integer) as end_seq
    from {{ name }}__intervals
    where interval_seconds > 0
)
{%- endmacro %}

{% macro support_business_clock_reach(rows, value, name='reach') -%}
{{ support_business_clock_reach_intervals(name) }},

{{ name }}__values as (
    select distinct
        schedule_id,
        cast({{ value }} as {{ type_double() }}) as clock_value
    from {{ rows }}
    where schedule_id is not null
),

{{ name }}__timeline as (
    select
        schedule_id,
        clock_value,
        0 as sort_order,
        cast(null as integer) as end_seq
    from {{ name }}__values
    union all
    select
        schedule_id,
        seconds_after as clock_value,
        1 as sort_order,
        end_seq
    from {{ name }}__ends
),

-- the last interval that ends below the value: the one reached is the next
{{ name }}__located as (
    select
        schedule_id,
        clock_value,
        sort_order,
        coalesce(max(end_seq) over (
            partition by schedule_id order by clock_value, sort_order
            rows between unbounded preceding and current row
        ), 0) + 1 as end_seq
    from {{ name }}__timeline
),

{{ name }}__value_intervals as (
    select
        {{ name }}__located.schedule_id,
        {{ name }}__located.clock_value,
        {{ name }}__ends.interval_start_at as reached_start_at,
        {{ name }}__ends.interval_end_at as reached_end_at,
        {{ name }}__ends.seconds_before as reached_seconds_before
    from {{ name }}__located
    left join {{ name }}__ends
        on {{ name }}__located.schedule_id = {{ name }}__ends.schedule_id
            and {{ name }}__located.end_seq = {{ name }}__ends.end_seq
    where {{ name }}__located.sort_order = 0
),

{{ name }} as (
    select
        {{ rows }}.*,
        {{ name }}__value_intervals.reached_start_at,
        {{ name }}__value_intervals.reached_end_at,
        {{ name }}__value_intervals.reached_seconds_before
    from {{ rows }}
    inner join {{ name }}__value_intervals
        on {{ rows }}.schedule_id = {{ name }}__value_intervals.schedule_id
            and cast({{ rows }}.{{ value }} as {{ type_double() }})
            = {{ name }}__value_intervals.clock_value
)
{%- endmacro %}

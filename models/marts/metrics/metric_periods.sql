-- The periods of the metric marts: `all` (the whole window, from the first day of the
-- month of the first touchpoint event up to the as-of date) and every calendar month of
-- that window up to the month of the as-of date ('YYYY-MM'). A month's snapshot_date is
-- its last day, or the as-of date for the month that holds it (loyalty movements
-- measure stages as of that date). Months come from a portable 0-999 counter (no
-- date_spine query at compile time), so the window may span up to 1,000 months.
with

touchpoint_events as (
    select occurred_at from {{ ref('touchpoint_events') }}
),

as_of as (
    select as_of_date from {{ ref('warehouse_as_of') }}
),

digits as (
    select 0 as digit
    union all
    select 1
    union all
    select 2
    union all
    select 3
    union all
    select 4
    union all
    select 5
    union all
    select 6
    union all
    select 7
    union all
    select 8
    union all
    select 9
),

counter as (
    select hundreds.digit * 100 + tens.digit * 10 + units.digit as month_offset
    from digits as hundreds
    cross join digits as tens
    cross join digits as units
),

window_bounds as (
    select
        cast(
            {{ dbt.date_trunc('month', 'min(touchpoint_events.occurred_at)') }} as date
        ) as first_month_start
    from touchpoint_events
    cross join as_of
    where cast(touchpoint_events.occurred_at as date) <= as_of.as_of_date
),

months as (
    select
        cast(
            {{ dbt.dateadd(
                'month', 'counter.month_offset', 'window_bounds.first_month_start'
            ) }} as date
        ) as period_start
    from window_bounds
    cross join counter
),

month_periods as (
    select
        {{ month_label('months.period_start') }} as period,
        'month' as period_grain,
        months.period_start,
        cast(
            {{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'months.period_start')) }}
            as date
        ) as month_end
    from months
    cross join as_of
    where months.period_start <= as_of.as_of_date
),

all_period as (
    select
        'all' as period,
        'all' as period_grain,
        window_bounds.first_month_start as period_start,
        as_of.as_of_date as period_end
    from window_bounds
    cross join as_of
),

periods as (
    select
        all_period.period,
        all_period.period_grain,
        all_period.period_start,
        all_period.period_end
    from all_period
    union all
    select
        month_periods.period,
        month_periods.period_grain,
        month_periods.period_start,
        case
            when month_periods.month_end < as_of.as_of_date then month_periods.month_end
            else as_of.as_of_date
        end as period_end
    from month_periods
    cross join as_of
),

final as (
    select
        periods.period,
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        periods.period_end = as_of.as_of_date as is_current,
        cast(
            {{ dbt.datediff('periods.period_start', 'periods.period_end', 'day') }} + 1
            as integer
        ) as days
    from periods
    cross join as_of
)

select * from final

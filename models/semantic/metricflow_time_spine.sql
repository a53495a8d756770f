-- The MetricFlow time spine: one row per day from 2000-01-01 to 2040-12-31, the range
-- metric_time can take (accounts created years before the event window included). A
-- portable dbt.date_spine (DuckDB, PostgreSQL, Spark); the end date is exclusive.
with

days as (
    {{ dbt.date_spine(
        'day',
        "cast('2000-01-01' as date)",
        "cast('2041-01-01' as date)"
    ) }}
),

final as (
    select cast(days.date_day as date) as date_day
    from days
)

select * from final

-- One row per schedule and business-hour interval in UTC (grain: schedule_id,
-- interval_start_at) over the data window: every local day of the window x the weekly
-- intervals of the schedule version valid that day (valid_from .. next valid_from),
-- minus the schedule's holidays, converted from the schedule's time zone to UTC
-- (daylight saving included). Zero rows without ticketing.schedules.
with

schedules as (
    select
        schedule_id,
        time_zone,
        weekday,
        start_minute,
        end_minute,
        valid_from
    from {{ ref('stg_ticketing__schedules') }}
),

version_starts as (
    select distinct
        schedule_id,
        valid_from
    from schedules
),

versions as (
    select
        schedule_id,
        valid_from,
        lead(valid_from) over (partition by schedule_id order by valid_from) as valid_to
    from version_starts
),

holidays as (
    select
        schedule_id,
        holiday_date
    from {{ ref('stg_ticketing__holidays') }}
),

tickets as (
    select created_at from {{ ref('stg_ticketing__tickets') }}
),

as_of as (
    select as_of_end_at from {{ ref('int_as_of_date') }}
),

-- local days from two days before the first ticket to two days after the as-of date
bounds as (
    select
        cast({{ dbt.dateadd('day', -2, 'min(tickets.created_at)') }} as date)
            as first_day,
        cast({{ dbt.dateadd('day', 2, 'max(as_of.as_of_end_at)') }} as date) as last_day
    from tickets
    cross join as_of
    where exists (select 1 from schedules)
),

days as (
    select
        spine.date_day as local_date,
        -- 0 = Monday .. 6 = Sunday (1970-01-05 was a Monday)
        mod(
            {{ dbt.datediff("cast('1970-01-05' as date)", 'spine.date_day', 'day') }}, 7
        )
            as weekday
    from {{ ref('metricflow_time_spine') }} as spine
    inner join bounds
        on spine.date_day between bounds.first_day and bounds.last_day
),

local_intervals as (
    select
        schedules.schedule_id,
        schedules.time_zone,
        days.local_date,
        {{ dbt.dateadd(
            'minute', 'schedules.start_minute', 'cast(days.local_date as timestamp)'
        ) }}
            as local_start_at,
        {{ dbt.dateadd(
            'minute', 'schedules.end_minute', 'cast(days.local_date as timestamp)'
        ) }}
            as local_end_at
    from days
    inner join schedules
        on days.weekday = schedules.weekday
    inner join versions
        on schedules.schedule_id = versions.schedule_id
            and schedules.valid_from = versions.valid_from
            and days.local_date >= versions.valid_from
            and (versions.valid_to is null or days.local_date < versions.valid_to)
    left join holidays
        on schedules.schedule_id = holidays.schedule_id
            and days.local_date = holidays.holiday_date
    where holidays.holiday_date is null
),

final as (
    select
        schedule_id,
        local_date,
        {{ local_to_utc('local_start_at', 'time_zone') }} as interval_start_at,
        {{ local_to_utc('local_end_at', 'time_zone') }} as interval_end_at
    from local_intervals
)

select * from final

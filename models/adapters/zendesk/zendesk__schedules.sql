{{ config(enabled=var('ticketing_source') == 'zendesk') }}
-- One row per business-hour interval of a Zendesk schedule, in the raw contract's
-- ticketing.schedules shape (text), plus the lineage columns. Zendesk's start_time /
-- end_time are minutes from Sunday 00:00 of the week: weekday (0 = Monday) and local
-- HH:MM come from them, and an interval past midnight is split at it. time_zone is
-- the Rails name mapped to IANA through seeds/adapters/zendesk_time_zone_map.csv (an
-- unknown name is left empty, so staging quarantines the interval, and is counted in
-- zendesk__unmapped_values). The `schedule` table holds the current hours only: they
-- are valid from 1970-01-01. Deleted schedules are left out. Empty when not landed.
with

schedule as (
    {{ vendor_union('zendesk', 'schedule', [
        'id', 'start_time', 'end_time', 'time_zone',
    ], ['_fivetran_deleted'], optional_table=true) }}
),

time_zones as (
    select
        zendesk_time_zone,
        iana_time_zone
    from {{ ref('zendesk_time_zone_map') }}
),

typed as (
    select
        schedule._connector,
        {{ vendor_id('zendesk', 'schedule.id') }} as schedule_id,
        trim(cast(schedule.time_zone as {{ dbt.type_string() }})) as zendesk_time_zone,
        cast(schedule.start_time as {{ dbt.type_bigint() }}) as week_start_minute,
        cast(schedule.end_time as {{ dbt.type_bigint() }}) as week_end_minute,
        cast(floor(
            cast(schedule.start_time as {{ dbt.type_bigint() }}) / 1440
        ) as integer) as sunday_day
    from schedule
    where coalesce({{ vendor_boolean('schedule._fivetran_deleted') }}, false) = false
),

-- minutes of the interval's own day (the part past midnight, if any, is the next day's)
parts as (
    select
        typed._connector,
        typed.schedule_id,
        typed.zendesk_time_zone,
        typed.week_start_minute as part_week_minute,
        (typed.sunday_day + 6) % 7 as weekday,
        typed.week_start_minute - 1440 * typed.sunday_day as start_minute,
        case
            when typed.week_end_minute - 1440 * typed.sunday_day > 1440 then 1440
            else typed.week_end_minute - 1440 * typed.sunday_day
        end as end_minute
    from typed
    union all
    select
        typed._connector,
        typed.schedule_id,
        typed.zendesk_time_zone,
        1440 * (typed.sunday_day + 1) as part_week_minute,
        (typed.sunday_day + 7) % 7 as weekday,
        0 as start_minute,
        typed.week_end_minute - 1440 * (typed.sunday_day + 1) as end_minute
    from typed
    where typed.week_end_minute - 1440 * typed.sunday_day > 1440
),

final as (
    select
        {{ dbt.concat([
            "parts.schedule_id", "':'",
            dbt.safe_cast("parts.part_week_minute", dbt.type_string()),
        ]) }} as schedule_interval_id,
        parts.schedule_id,
        time_zones.iana_time_zone as time_zone,
        parts.zendesk_time_zone,
        time_zones.zendesk_time_zone is not null as is_time_zone_mapped,
        cast(parts.weekday as {{ dbt.type_string() }}) as weekday,
        {%- for bound in ['start', 'end'] %}
        {{ dbt.concat([
            "lpad(cast(cast(floor(parts." ~ bound ~ "_minute / 60) as integer) as "
                ~ dbt.type_string() ~ "), 2, '0')",
            "':'",
            "lpad(cast(cast(parts." ~ bound ~ "_minute % 60 as integer) as "
                ~ dbt.type_string() ~ "), 2, '0')",
        ]) }} as {{ bound }}_time,
        {%- endfor %}
        '1970-01-01' as valid_from,
        {{ dbt.concat(["parts._connector", "'.schedule'"]) }} as _source_file,
        row_number() over (
            partition by parts._connector
            order by parts.schedule_id, parts.part_week_minute
        ) as _source_row,
        {{ dbt.concat(["parts._connector", "'.schedule'"]) }} as _batch_id
    from parts
    left join time_zones
        on parts.zendesk_time_zone = time_zones.zendesk_time_zone
)

select * from final

-- a table, not a view: a view over a raw table would stop the loaders replacing it
{{ config(materialized='table') }}
-- Every delivered business-hour interval row (optional table ticketing.schedules),
-- typed, with the rule it breaks (if any). Zero rows when the table was not delivered.
with

source as (
    {{ optional_source('ticketing', 'schedules', [
        'schedule_id',
        'time_zone',
        'weekday',
        'start_time',
        'end_time',
        'valid_from',
        '_source_file',
    ]) }}
),

typed as (
    select
        source._source_file,
        source._source_row,
        source._batch_id,
        nullif(trim(source.schedule_id), '') as schedule_id,
        nullif(trim(source.time_zone), '') as time_zone,
        cast({{ try_cast_decimal('source.weekday', 4, 0) }} as integer) as weekday,
        {{ hhmm_to_minute('source.start_time') }} as start_minute,
        {{ hhmm_to_minute('source.end_time') }} as end_minute,
        cast({{ try_cast_timestamp('source.valid_from') }} as date) as valid_from
    from source
),

checked as (
    select
        typed.*,
        case
            when typed.schedule_id is null then 'missing_key'
            when typed.valid_from is null then 'invalid_timestamp'
            when typed.weekday is null or typed.start_minute is null
                or typed.end_minute is null then 'invalid_number'
            when typed.time_zone is null
                or typed.weekday not between 0 and 6
                or typed.start_minute < 0
                or typed.end_minute > 1440
                or typed.start_minute >= typed.end_minute
                then 'invalid_code'
            when row_number() over (
                    partition by
                        typed.schedule_id,
                        typed.valid_from,
                        typed.weekday,
                        typed.start_minute
                    order by typed._source_row
                ) > 1 then 'duplicate_key'
        end as quarantine_reason
    from typed
)

select * from checked

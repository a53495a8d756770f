-- a table, not a view: a view over a raw table would stop the loaders replacing it
{{ config(materialized='table') }}
-- Every delivered holiday row (optional table ticketing.holidays), typed, with the rule
-- it breaks (if any). Zero rows when the table was not delivered.
with

source as (
    {{ optional_source(
        'ticketing', 'holidays', ['schedule_id', 'holiday_date', 'name', '_source_file']
    ) }}
),

typed as (
    select
        source._source_file,
        source._source_row,
        source._batch_id,
        nullif(trim(source.schedule_id), '') as schedule_id,
        cast({{ try_cast_timestamp('source.holiday_date') }} as date) as holiday_date,
        nullif(trim(source.name), '') as holiday_name
    from source
),

checked as (
    select
        typed.*,
        case
            when typed.schedule_id is null then 'missing_key'
            when typed.holiday_date is null then 'invalid_timestamp'
            when row_number() over (
                    partition by typed.schedule_id, typed.holiday_date
                    order by typed._source_row
                ) > 1 then 'duplicate_key'
        end as quarantine_reason
    from typed
)

select * from checked

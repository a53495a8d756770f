-- The valid rows of the optional table ticketing.schedules (see
-- base_ticketing__schedules).
with

valid as (
    select
        schedule_id,
        time_zone,
        weekday,
        start_minute,
        end_minute,
        valid_from
    from {{ ref('base_ticketing__schedules') }}
    where quarantine_reason is null
)

select * from valid

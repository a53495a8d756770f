-- The valid rows of the optional table ticketing.holidays (see
-- base_ticketing__holidays).
with

valid as (
    select
        schedule_id,
        holiday_date,
        holiday_name
    from {{ ref('base_ticketing__holidays') }}
    where quarantine_reason is null
)

select * from valid

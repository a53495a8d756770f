-- The valid rows of the optional table ticketing.sla_policies (see
-- base_ticketing__sla_policies).
with

valid as (
    select
        policy_id,
        priority,
        tier,
        metric,
        target_minutes,
        in_business_hours
    from {{ ref('base_ticketing__sla_policies') }}
    where quarantine_reason is null
)

select * from valid

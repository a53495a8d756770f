-- Thresholds and targets in the reference seeds are non-negative: a tier's minimum
-- revenue, and the service standards' first-reply and resolution targets. Returns
-- offending rows.
-- Dagster shows this test as a check of `customer_tiers` (shown on the first seed it reads).
{{ config(meta={'dagster': {'ref': {'name': 'customer_tiers'}}}) }}
with

tiers as (
    select
        tier,
        min_revenue_12m
    from {{ ref('customer_tiers') }}
),

standards as (
    select
        tier,
        first_reply_target_minutes,
        resolution_target_hours
    from {{ ref('service_standards') }}
),

negative_thresholds as (
    select
        'customer_tiers' as seed_name,
        tiers.tier,
        'min_revenue_12m' as column_name
    from tiers
    where tiers.min_revenue_12m < 0

    union all

    select
        'service_standards' as seed_name,
        standards.tier,
        'first_reply_target_minutes' as column_name
    from standards
    where standards.first_reply_target_minutes < 0

    union all

    select
        'service_standards' as seed_name,
        standards.tier,
        'resolution_target_hours' as column_name
    from standards
    where standards.resolution_target_hours < 0
)

select * from negative_thresholds

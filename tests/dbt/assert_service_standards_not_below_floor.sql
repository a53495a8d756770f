-- Every tier's service standard is at least as strict as the floor row (docs/metrics.md):
-- first_reply_target_minutes and resolution_target_hours no greater than the floor's.
-- Returns the offending tiers.
with

standards as (
    select
        tier,
        first_reply_target_minutes,
        resolution_target_hours,
        is_floor
    from {{ ref('service_standards') }}
),

floor_standard as (
    select
        first_reply_target_minutes,
        resolution_target_hours
    from standards
    where is_floor
),

below_floor as (
    select
        standards.tier,
        standards.first_reply_target_minutes,
        floor_standard.first_reply_target_minutes as floor_first_reply_target_minutes,
        standards.resolution_target_hours,
        floor_standard.resolution_target_hours as floor_resolution_target_hours
    from standards
    cross join floor_standard
    where
        not standards.is_floor
        and (
            standards.first_reply_target_minutes
            > floor_standard.first_reply_target_minutes
            or standards.resolution_target_hours
            > floor_standard.resolution_target_hours
        )
)

select * from below_floor

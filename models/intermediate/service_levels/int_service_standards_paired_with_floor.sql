-- The service standards a ticket is measured against: one row per tier of the seed
-- service_standards except the floor row, plus `unmatched` (tickets of requesters
-- without an account are held to the floor), each with the tier's targets and the
-- floor's.
with

service_standards as (
    select
        tier,
        first_reply_target_minutes,
        resolution_target_hours,
        is_floor
    from {{ ref('service_standards') }}
),

floor_standard as (
    select
        service_standards.first_reply_target_minutes,
        service_standards.resolution_target_hours
    from service_standards
    where service_standards.is_floor
),

tier_standards as (
    select
        service_standards.tier,
        service_standards.first_reply_target_minutes,
        service_standards.resolution_target_hours
    from service_standards
    where not service_standards.is_floor
    union all
    select
        'unmatched' as tier,
        floor_standard.first_reply_target_minutes,
        floor_standard.resolution_target_hours
    from floor_standard
),

final as (
    select
        tier_standards.tier,
        tier_standards.first_reply_target_minutes,
        tier_standards.resolution_target_hours,
        floor_standard.first_reply_target_minutes as floor_first_reply_target_minutes,
        floor_standard.resolution_target_hours as floor_resolution_target_hours
    from tier_standards
    cross join floor_standard
)

select * from final

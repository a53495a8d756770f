with

touchpoint_catalog as (
    select
        touchpoint_code,
        touchpoint_name,
        journey_stage,
        cx_factor,
        owner,
        last_reviewed_on
    from {{ ref('touchpoint_catalog') }}
),

hotspot_status as (
    select
        touchpoint_code,
        status
    from {{ ref('hotspot_status') }}
),

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

reviewed as (
    select
        touchpoint_catalog.touchpoint_code,
        touchpoint_catalog.touchpoint_name,
        touchpoint_catalog.journey_stage,
        touchpoint_catalog.cx_factor,
        touchpoint_catalog.owner,
        cast(touchpoint_catalog.last_reviewed_on as date) as last_reviewed_on,
        cast(
            {{ dbt.datediff(
                'cast(touchpoint_catalog.last_reviewed_on as date)',
                'as_of.as_of_date',
                'day'
            ) }} as integer
        ) as days_since_review,
        hotspot_status.status as hotspot_status
    from touchpoint_catalog
    cross join as_of
    left join hotspot_status
        on touchpoint_catalog.touchpoint_code = hotspot_status.touchpoint_code
),

final as (
    select
        reviewed.touchpoint_code,
        reviewed.touchpoint_name,
        reviewed.journey_stage,
        reviewed.cx_factor,
        reviewed.owner,
        reviewed.last_reviewed_on,
        reviewed.days_since_review,
        coalesce(
            reviewed.days_since_review > {{ var('review_every_days') | int }}, true
        ) as is_stale_review,
        reviewed.hotspot_status
    from reviewed
)

select * from final

-- service_standards holds exactly one floor row: tier `floor`, is_floor true, and no
-- other row flagged as floor. Returns a row describing the problem when that is not so.
with

standards as (
    select
        tier,
        is_floor
    from {{ ref('service_standards') }}
),

floor_rows as (
    select
        sum(case when is_floor then 1 else 0 end) as flagged_rows,
        sum(case when is_floor and tier = 'floor' then 1 else 0 end) as floor_tier_rows
    from standards
),

problems as (
    select
        flagged_rows,
        floor_tier_rows
    from floor_rows
    where
        coalesce(flagged_rows, 0) != 1
        or coalesce(floor_tier_rows, 0) != 1
)

select * from problems

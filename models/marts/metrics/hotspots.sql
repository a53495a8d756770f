-- Hotspots (docs/metrics.md): one row per touchpoint of the catalog except
-- `relationship`, over the whole window up to the as-of date: the period 'all' of the
-- Pareto computed in int_touchpoint_irritations_ranked_by_period (irritations,
-- customers affected, revenue at risk, rank, cumulative share, vital few), with the
-- as-of date (where the period 'all' ends) and the date since which the seed
-- hotspot_status holds.
with

touchpoint_pareto as (
    select
        period_end,
        touchpoint_code,
        touchpoint_name,
        journey_stage,
        cx_factor,
        owner,
        hotspot_status,
        {{ hotspot_figures() }}
    from {{ ref('int_touchpoint_irritations_ranked_by_period') }}
    where period_grain = 'all'
),

hotspot_status as (
    select
        touchpoint_code,
        status_since
    from {{ ref('hotspot_status') }}
),

final as (
    select
        touchpoint_pareto.period_end as as_of_date,
        touchpoint_pareto.touchpoint_code,
        touchpoint_pareto.touchpoint_name,
        touchpoint_pareto.journey_stage,
        touchpoint_pareto.cx_factor,
        touchpoint_pareto.owner,
        touchpoint_pareto.hotspot_status,
        cast(hotspot_status.status_since as date) as hotspot_status_since,
        {{ hotspot_figures('touchpoint_pareto') }}
    from touchpoint_pareto
    left join hotspot_status
        on touchpoint_pareto.touchpoint_code = hotspot_status.touchpoint_code
)

select * from final

-- Hotspots per month (docs/metrics.md): one row per calendar month of the window (up to
-- the as-of date) and touchpoint of the catalog except `relationship`, with the same
-- figures as `hotspots` computed over the month's touchpoint events: the month periods
-- of the Pareto in int_touchpoint_irritations_ranked_by_period. Every touchpoint
-- appears in every month, with 0 irritations when it had none. Active customers are
-- the accounts with any touchpoint event in the month; revenue_at_risk sums the
-- affected accounts' revenue_12m as of the as-of date. Rank, cumulative share and the
-- vital few are per month. hotspot_status is today's (the seed has no history).
with

monthly_pareto as (
    select
        period,
        period_start,
        touchpoint_code,
        touchpoint_name,
        journey_stage,
        owner,
        hotspot_status,
        {{ hotspot_figures() }}
    from {{ ref('int_touchpoint_irritations_ranked_by_period') }}
    where period_grain = 'month'
)

select * from monthly_pareto

-- The hotspot Pareto (docs/metrics.md) computed once for every period of
-- metric_periods: 'all' (the whole window up to the as-of date; the `hotspots` mart)
-- and each calendar month (`hotspots_monthly`). One row per period and touchpoint of
-- the catalog except `relationship` (which measures the whole relationship): every
-- touchpoint appears in every period, with 0 irritations when it had none.
-- irritations: every touchpoint event of valence negative, matched to an account or
-- not; customers_affected: distinct accounts with an irritation;
-- share_customers_affected = 100 * affected / active customers (accounts with any
-- touchpoint event in the period); revenue_at_risk: sum of revenue_12m of the affected
-- accounts (as of the as-of date, the one revenue_12m the warehouse knows). Ranked
-- within the period by irritations (ties: revenue_at_risk desc, touchpoint_code asc);
-- the vital few are the smallest top-ranked set whose cumulative irritations reach 80 %
-- of the period's irritations.
with

touchpoint_events as (
    select
        account_id,
        touchpoint_code,
        is_irritation,
        occurred_date,
        occurred_month
    from {{ ref('touchpoint_events') }}
),

touchpoints as (
    select
        touchpoint_code,
        touchpoint_name,
        journey_stage,
        cx_factor,
        owner,
        hotspot_status
    from {{ ref('touchpoints') }}
),

customers as (
    select
        account_id,
        revenue_12m
    from {{ ref('customers') }}
),

as_of as (
    select as_of_date from {{ ref('warehouse_as_of') }}
),

metric_periods as (
    select
        period,
        period_grain,
        period_start,
        period_end
    from {{ ref('metric_periods') }}
),

window_events as (
    select
        {{ month_label('touchpoint_events.occurred_month') }} as event_month,
        touchpoint_events.account_id,
        touchpoint_events.touchpoint_code,
        touchpoint_events.is_irritation
    from touchpoint_events
    cross join as_of
    where touchpoint_events.occurred_date <= as_of.as_of_date
),

-- every event once in period 'all' and once in its month
period_events as (
    {{ period_cells(
        'window_events',
        'event_month',
        [('touchpoint', 'window_events.touchpoint_code')],
        ['account_id', 'is_irritation'],
    ) }}
),

active_customers as (
    select
        period_events.period,
        count(distinct period_events.account_id) as active_customers
    from period_events
    group by period_events.period
),

irritation_counts as (
    select
        period_events.period,
        period_events.dimension_value as touchpoint_code,
        count(*) as irritations,
        sum(case when period_events.account_id is null then 1 else 0 end)
            as unmatched_irritations,
        count(distinct period_events.account_id) as customers_affected
    from period_events
    where period_events.is_irritation
    group by
        period_events.period,
        period_events.dimension_value
),

affected_customers as (
    select distinct
        period_events.period,
        period_events.dimension_value as touchpoint_code,
        period_events.account_id
    from period_events
    where period_events.is_irritation
        and period_events.account_id is not null
),

revenue_at_risk as (
    select
        affected_customers.period,
        affected_customers.touchpoint_code,
        sum(customers.revenue_12m) as revenue_at_risk
    from affected_customers
    inner join customers
        on affected_customers.account_id = customers.account_id
    group by
        affected_customers.period,
        affected_customers.touchpoint_code
),

measured as (
    select
        metric_periods.period,
        metric_periods.period_grain,
        metric_periods.period_start,
        metric_periods.period_end,
        touchpoints.touchpoint_code,
        touchpoints.touchpoint_name,
        touchpoints.journey_stage,
        touchpoints.cx_factor,
        touchpoints.owner,
        coalesce(touchpoints.hotspot_status, 'untracked') as hotspot_status,
        coalesce(irritation_counts.irritations, 0) as irritations,
        coalesce(irritation_counts.unmatched_irritations, 0) as unmatched_irritations,
        coalesce(irritation_counts.customers_affected, 0) as customers_affected,
        coalesce(active_customers.active_customers, 0) as active_customers,
        coalesce(revenue_at_risk.revenue_at_risk, 0) as revenue_at_risk
    from metric_periods
    cross join touchpoints
    left join active_customers
        on metric_periods.period = active_customers.period
    left join irritation_counts
        on metric_periods.period = irritation_counts.period
            and touchpoints.touchpoint_code = irritation_counts.touchpoint_code
    left join revenue_at_risk
        on metric_periods.period = revenue_at_risk.period
            and touchpoints.touchpoint_code = revenue_at_risk.touchpoint_code
    where touchpoints.touchpoint_code <> 'relationship'
),

ranked as (
    select
        measured.period,
        measured.period_grain,
        measured.period_start,
        measured.period_end,
        measured.touchpoint_code,
        measured.touchpoint_name,
        measured.journey_stage,
        measured.cx_factor,
        measured.owner,
        measured.hotspot_status,
        measured.irritations,
        measured.unmatched_irritations,
        measured.customers_affected,
        measured.active_customers,
        measured.revenue_at_risk,
        row_number() over (
            partition by measured.period
            order by
                measured.irritations desc,
                measured.revenue_at_risk desc,
                measured.touchpoint_code asc
        ) as hotspot_rank,
        sum(measured.irritations) over (
            partition by measured.period
            order by
                measured.irritations desc,
                measured.revenue_at_risk desc,
                measured.touchpoint_code asc
            rows between unbounded preceding and current row
        ) as cumulative_irritations,
        sum(measured.irritations) over (partition by measured.period)
            as total_irritations
    from measured
),

final as (
    select
        ranked.period,
        ranked.period_grain,
        ranked.period_start,
        ranked.period_end,
        ranked.touchpoint_code,
        ranked.touchpoint_name,
        ranked.journey_stage,
        ranked.cx_factor,
        ranked.owner,
        ranked.hotspot_status,
        cast(ranked.irritations as bigint) as irritations,
        cast(ranked.unmatched_irritations as bigint) as unmatched_irritations,
        cast(ranked.customers_affected as bigint) as customers_affected,
        cast(ranked.active_customers as bigint) as active_customers,
        {{ percentage('ranked.customers_affected', 'ranked.active_customers') }}
            as share_customers_affected,
        cast(ranked.revenue_at_risk as decimal(18, 2)) as revenue_at_risk,
        cast(ranked.hotspot_rank as integer) as hotspot_rank,
        cast(ranked.cumulative_irritations as bigint) as cumulative_irritations,
        {{ percentage('ranked.cumulative_irritations', 'ranked.total_irritations') }}
            as cumulative_share,
        {{ is_vital_few(
            'ranked.cumulative_irritations',
            'ranked.irritations',
            'ranked.total_irritations'
        ) }} as is_vital_few
    from ranked
)

select * from final

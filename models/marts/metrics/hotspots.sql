-- Hotspots (docs/metrics.md): one row per touchpoint of the catalog except `relationship`
-- (which measures the whole relationship), over the whole window up to the as-of date.
-- irritations: every touchpoint event of valence negative, matched to an account or
-- not; customers_affected: distinct accounts with an irritation;
-- share_customers_affected = 100 * affected / active customers (accounts with any
-- touchpoint event in the window); revenue_at_risk: sum of revenue_12m of the affected
-- accounts. Ranked by irritations (ties: revenue_at_risk desc, touchpoint_code asc);
-- the vital few are the smallest top-ranked set whose cumulative irritations reach 80 %
-- of all hotspot irritations.
with

touchpoint_events as (
    select
        account_id,
        touchpoint_code,
        is_irritation,
        occurred_date
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

hotspot_status as (
    select
        touchpoint_code,
        status_since
    from {{ ref('hotspot_status') }}
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

window_events as (
    select
        touchpoint_events.account_id,
        touchpoint_events.touchpoint_code,
        touchpoint_events.is_irritation
    from touchpoint_events
    cross join as_of
    where touchpoint_events.occurred_date <= as_of.as_of_date
),

active_customers as (
    select
        count(distinct window_events.account_id) as active_customers
    from window_events
),

irritation_counts as (
    select
        window_events.touchpoint_code,
        count(*) as irritations,
        sum(case when window_events.account_id is null then 1 else 0 end)
            as unmatched_irritations,
        count(distinct window_events.account_id) as customers_affected
    from window_events
    where window_events.is_irritation
    group by window_events.touchpoint_code
),

affected_customers as (
    select distinct
        window_events.touchpoint_code,
        window_events.account_id
    from window_events
    where window_events.is_irritation
        and window_events.account_id is not null
),

revenue_at_risk as (
    select
        affected_customers.touchpoint_code,
        sum(customers.revenue_12m) as revenue_at_risk
    from affected_customers
    inner join customers
        on affected_customers.account_id = customers.account_id
    group by affected_customers.touchpoint_code
),

measured as (
    select
        touchpoints.touchpoint_code,
        touchpoints.touchpoint_name,
        touchpoints.journey_stage,
        touchpoints.cx_factor,
        touchpoints.owner,
        coalesce(touchpoints.hotspot_status, 'untracked') as hotspot_status,
        cast(hotspot_status.status_since as date) as hotspot_status_since,
        coalesce(irritation_counts.irritations, 0) as irritations,
        coalesce(irritation_counts.unmatched_irritations, 0) as unmatched_irritations,
        coalesce(irritation_counts.customers_affected, 0) as customers_affected,
        active_customers.active_customers,
        coalesce(revenue_at_risk.revenue_at_risk, 0) as revenue_at_risk
    from touchpoints
    cross join active_customers
    left join hotspot_status
        on touchpoints.touchpoint_code = hotspot_status.touchpoint_code
    left join irritation_counts
        on touchpoints.touchpoint_code = irritation_counts.touchpoint_code
    left join revenue_at_risk
        on touchpoints.touchpoint_code = revenue_at_risk.touchpoint_code
    where touchpoints.touchpoint_code <> 'relationship'
),

ranked as (
    select
        measured.touchpoint_code,
        measured.touchpoint_name,
        measured.journey_stage,
        measured.cx_factor,
        measured.owner,
        measured.hotspot_status,
        measured.hotspot_status_since,
        measured.irritations,
        measured.unmatched_irritations,
        measured.customers_affected,
        measured.active_customers,
        measured.revenue_at_risk,
        row_number() over (
            order by
                measured.irritations desc,
                measured.revenue_at_risk desc,
                measured.touchpoint_code asc
        ) as hotspot_rank,
        sum(measured.irritations) over (
            order by
                measured.irritations desc,
                measured.revenue_at_risk desc,
                measured.touchpoint_code asc
            rows between unbounded preceding and current row
        ) as cumulative_irritations,
        sum(measured.irritations) over () as total_irritations
    from measured
),

final as (
    select
        as_of.as_of_date,
        ranked.touchpoint_code,
        ranked.touchpoint_name,
        ranked.journey_stage,
        ranked.cx_factor,
        ranked.owner,
        ranked.hotspot_status,
        ranked.hotspot_status_since,
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
    cross join as_of
)

select * from final

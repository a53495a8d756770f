-- The loyalty ladder as of the as-of date (docs/metrics.md, customers): one row per
-- loyalty stage and tier of seed customer_tiers, plus tier 'all' for every stage
-- (promoter vs detractor spend). Every stage appears for every tier: a cell without
-- accounts has 0 accounts and a NULL average revenue.
with

customers as (
    select
        account_id,
        tier,
        loyalty_stage,
        revenue_12m
    from {{ ref('customers') }}
),

customer_tiers as (
    select
        tier,
        tier_rank
    from {{ ref('customer_tiers') }}
),

as_of as (
    select as_of_date from {{ ref('warehouse_as_of') }}
),

stages as (
    select
        'promoter' as loyalty_stage,
        1 as stage_order
    union all
    select
        'detractor' as loyalty_stage,
        2 as stage_order
    union all
    select
        'loyal' as loyalty_stage,
        3 as stage_order
    union all
    select
        'satisfied' as loyalty_stage,
        4 as stage_order
    union all
    select
        'unknown' as loyalty_stage,
        5 as stage_order
),

tiers as (
    select
        customer_tiers.tier,
        cast(customer_tiers.tier_rank as integer) as tier_rank
    from customer_tiers
    union all
    select
        'all' as tier,
        cast(null as integer) as tier_rank
    from stages
    where stages.stage_order = 1
),

customers_by_tier as (
    select
        customers.tier,
        customers.loyalty_stage,
        customers.revenue_12m
    from customers
    union all
    select
        'all' as tier,
        customers.loyalty_stage,
        customers.revenue_12m
    from customers
),

cells as (
    select
        customers_by_tier.tier,
        customers_by_tier.loyalty_stage,
        count(*) as accounts,
        sum(customers_by_tier.revenue_12m) as revenue_12m,
        avg(cast(customers_by_tier.revenue_12m as {{ type_double() }}))
            as avg_revenue_12m
    from customers_by_tier
    group by
        customers_by_tier.tier,
        customers_by_tier.loyalty_stage
),

tier_totals as (
    select
        cells.tier,
        sum(cells.accounts) as tier_accounts
    from cells
    group by cells.tier
),

final as (
    select
        as_of.as_of_date,
        stages.loyalty_stage,
        cast(stages.stage_order as integer) as stage_order,
        tiers.tier,
        tiers.tier_rank,
        cast(coalesce(cells.accounts, 0) as bigint) as accounts,
        {{ percentage('coalesce(cells.accounts, 0)', 'tier_totals.tier_accounts') }}
            as share_of_tier_accounts,
        cast(coalesce(cells.revenue_12m, 0) as decimal(18, 2)) as revenue_12m,
        cells.avg_revenue_12m
    from stages
    cross join tiers
    cross join as_of
    left join tier_totals
        on tiers.tier = tier_totals.tier
    left join cells
        on stages.loyalty_stage = cells.loyalty_stage
            and tiers.tier = cells.tier
)

select * from final

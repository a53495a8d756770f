-- One row per account: its revenue_12m and orders_12m, its tier and its loyalty stage
-- as of the as-of date (docs/metrics.md). revenue_12m: sum of the order amounts
-- (refunds included) in the revenue window. orders_12m: orders in the window that are
-- not refunds (a refund is no purchase). tier: the tier with the highest
-- min_revenue_12m <= revenue_12m; an account below every threshold (net refunds) gets
-- the tier with the lowest threshold. latest nps / csat: over all the account's people,
-- the score of the latest response (submitted_at, then response_id) carrying that
-- measure, among responses submitted on or before the as-of date. loyalty stage, first
-- that holds: promoter (latest nps >= 9); detractor (latest nps <= 6 or latest csat <=
-- 2); loyal (orders_12m >= 2); satisfied (latest csat >= 4 or latest nps 7-8); unknown.
with

accounts as (
    select account_id from {{ ref('stg_crm__accounts') }}
),

orders as (
    select
        account_id,
        amount,
        is_refund,
        is_in_revenue_window
    from {{ ref('int_orders_mapped_to_touchpoints') }}
),

responses as (
    select
        response_id,
        account_id,
        submitted_at,
        nps_value,
        csat_value
    from {{ ref('int_survey_responses_scored') }}
),

customer_tiers as (
    select
        tier,
        min_revenue_12m,
        tier_rank
    from {{ ref('customer_tiers') }}
),

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

order_totals as (
    select
        orders.account_id,
        sum(
            case when orders.is_in_revenue_window then orders.amount else 0 end
        ) as revenue_12m,
        sum(
            case
                when orders.is_in_revenue_window and not orders.is_refund then 1
                else 0
            end
        ) as orders_12m
    from orders
    group by orders.account_id
),

responses_until_as_of as (
    select
        responses.response_id,
        responses.account_id,
        responses.submitted_at,
        responses.nps_value,
        responses.csat_value
    from responses
    cross join as_of
    where responses.account_id is not null
        and cast(responses.submitted_at as date) <= as_of.as_of_date
),

-- the latest nps answer and the latest csat answer of each account
{%- for measure in ['nps', 'csat'] %}
{{ measure }}_ranked as (
    select
        responses_until_as_of.account_id,
        responses_until_as_of.{{ measure }}_value,
        row_number() over (
            partition by responses_until_as_of.account_id
            order by
                responses_until_as_of.submitted_at desc,
                responses_until_as_of.response_id desc
        ) as recency_rank
    from responses_until_as_of
    where responses_until_as_of.{{ measure }}_value is not null
),
{% endfor %}
latest_response as (
    select
        responses_until_as_of.account_id,
        max(responses_until_as_of.submitted_at) as latest_response_at
    from responses_until_as_of
    group by responses_until_as_of.account_id
),

account_figures as (
    select
        accounts.account_id,
        cast(coalesce(order_totals.revenue_12m, 0) as decimal(18, 2)) as revenue_12m,
        cast(coalesce(order_totals.orders_12m, 0) as bigint) as orders_12m,
        nps_ranked.nps_value as latest_nps_value,
        csat_ranked.csat_value as latest_csat_value,
        latest_response.latest_response_at
    from accounts
    left join order_totals
        on accounts.account_id = order_totals.account_id
    left join nps_ranked
        on accounts.account_id = nps_ranked.account_id
            and nps_ranked.recency_rank = 1
    left join csat_ranked
        on accounts.account_id = csat_ranked.account_id
            and csat_ranked.recency_rank = 1
    left join latest_response
        on accounts.account_id = latest_response.account_id
),

tier_candidates as (
    select
        account_figures.account_id,
        customer_tiers.tier,
        customer_tiers.tier_rank,
        row_number() over (
            partition by account_figures.account_id
            order by
                case
                    when customer_tiers.min_revenue_12m <= account_figures.revenue_12m
                        then 0
                    else 1
                end,
                case
                    when customer_tiers.min_revenue_12m <= account_figures.revenue_12m
                        then -1 * customer_tiers.min_revenue_12m
                    else customer_tiers.min_revenue_12m
                end
        ) as tier_preference
    from account_figures
    cross join customer_tiers
),

staged as (
    select
        account_figures.account_id,
        account_figures.revenue_12m,
        account_figures.orders_12m,
        tier_candidates.tier,
        tier_candidates.tier_rank,
        account_figures.latest_nps_value,
        account_figures.latest_csat_value,
        account_figures.latest_response_at,
        {{ loyalty_stage(
            'account_figures.latest_nps_value',
            'account_figures.latest_csat_value',
            'account_figures.orders_12m'
        ) }} as loyalty_stage
    from account_figures
    left join tier_candidates
        on account_figures.account_id = tier_candidates.account_id
            and tier_candidates.tier_preference = 1
)

select * from staged

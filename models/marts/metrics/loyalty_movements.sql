-- Loyalty-stage movements month over month. Every account is given a loyalty stage as
-- of each month's snapshot date (the month's last day, or the as-of date in the month
-- that holds it) with the rules of docs/metrics.md, applied as of that date: "latest" =
-- the latest response (submitted_at, then response_id) with that measure over all the
-- account's people, submitted on or before the snapshot date; `loyal` = 2+ non-refund
-- orders with snapshot - 364 days <= date(ordered_at) <= snapshot. Stages as of the
-- as-of date equal customers.loyalty_stage. One row per month (from the window's second
-- month on), stage at the previous snapshot (from_stage; 'new' for an account created
-- since) and stage at this one (to_stage), for every transition that occurred (accounts
-- > 0). An account counts from the snapshot on or after its created_at date.
with

customers as (
    select
        account_id,
        created_at
    from {{ ref('customers') }}
),

orders as (
    select
        account_id,
        ordered_at,
        is_refund
    from {{ ref('orders') }}
),

survey_responses as (
    select
        response_id,
        account_id,
        submitted_at,
        nps_value,
        csat_value
    from {{ ref('survey_responses') }}
),

metric_periods as (
    select
        period,
        period_start,
        period_end
    from {{ ref('metric_periods') }}
    where period_grain = 'month'
),

snapshots as (
    select
        metric_periods.period,
        metric_periods.period_start,
        metric_periods.period_end as snapshot_date,
        cast(
            {{ dbt.dateadd('day', -364, 'metric_periods.period_end') }} as date
        ) as revenue_window_start_date,
        lag(metric_periods.period_end) over (order by metric_periods.period_start)
            as previous_snapshot_date
    from metric_periods
),

account_snapshots as (
    select
        customers.account_id,
        snapshots.period,
        snapshots.snapshot_date
    from customers
    cross join snapshots
    where customers.created_at is null
        or cast(customers.created_at as date) <= snapshots.snapshot_date
),

orders_at_snapshot as (
    select
        orders.account_id,
        snapshots.snapshot_date,
        count(*) as orders_12m
    from orders
    inner join snapshots
        on cast(orders.ordered_at as date) >= snapshots.revenue_window_start_date
            and cast(orders.ordered_at as date) <= snapshots.snapshot_date
    where not orders.is_refund
    group by
        orders.account_id,
        snapshots.snapshot_date
),

responses_at_snapshot as (
    select
        survey_responses.account_id,
        snapshots.snapshot_date,
        survey_responses.response_id,
        survey_responses.submitted_at,
        survey_responses.nps_value,
        survey_responses.csat_value
    from survey_responses
    inner join snapshots
        on cast(survey_responses.submitted_at as date) <= snapshots.snapshot_date
    where survey_responses.account_id is not null
),

-- the latest nps answer and the latest csat answer of each account as of each snapshot
{%- for measure in ['nps', 'csat'] %}
{{ measure }}_ranked as (
    select
        responses_at_snapshot.account_id,
        responses_at_snapshot.snapshot_date,
        responses_at_snapshot.{{ measure }}_value,
        row_number() over (
            partition by
                responses_at_snapshot.account_id,
                responses_at_snapshot.snapshot_date
            order by
                responses_at_snapshot.submitted_at desc,
                responses_at_snapshot.response_id desc
        ) as recency_rank
    from responses_at_snapshot
    where responses_at_snapshot.{{ measure }}_value is not null
),
{% endfor %}
staged as (
    select
        account_snapshots.account_id,
        account_snapshots.period,
        account_snapshots.snapshot_date,
        {{ loyalty_stage(
            'nps_ranked.nps_value',
            'csat_ranked.csat_value',
            'coalesce(orders_at_snapshot.orders_12m, 0)'
        ) }} as loyalty_stage
    from account_snapshots
    left join nps_ranked
        on account_snapshots.account_id = nps_ranked.account_id
            and account_snapshots.snapshot_date = nps_ranked.snapshot_date
            and nps_ranked.recency_rank = 1
    left join csat_ranked
        on account_snapshots.account_id = csat_ranked.account_id
            and account_snapshots.snapshot_date = csat_ranked.snapshot_date
            and csat_ranked.recency_rank = 1
    left join orders_at_snapshot
        on account_snapshots.account_id = orders_at_snapshot.account_id
            and account_snapshots.snapshot_date = orders_at_snapshot.snapshot_date
),

transitions as (
    select
        snapshots.period,
        snapshots.period_start,
        snapshots.snapshot_date,
        snapshots.previous_snapshot_date,
        coalesce(previous_stages.loyalty_stage, 'new') as from_stage,
        current_stages.loyalty_stage as to_stage,
        current_stages.account_id
    from snapshots
    inner join staged as current_stages
        on snapshots.snapshot_date = current_stages.snapshot_date
    left join staged as previous_stages
        on current_stages.account_id = previous_stages.account_id
            and snapshots.previous_snapshot_date = previous_stages.snapshot_date
    where snapshots.previous_snapshot_date is not null
),

counted as (
    select
        transitions.period,
        transitions.period_start,
        transitions.snapshot_date,
        transitions.previous_snapshot_date,
        transitions.from_stage,
        transitions.to_stage,
        count(*) as accounts
    from transitions
    group by
        transitions.period,
        transitions.period_start,
        transitions.snapshot_date,
        transitions.previous_snapshot_date,
        transitions.from_stage,
        transitions.to_stage
),

final as (
    select
        counted.period,
        counted.period_start,
        counted.snapshot_date,
        counted.previous_snapshot_date,
        counted.from_stage,
        counted.to_stage,
        counted.from_stage <> counted.to_stage as is_stage_change,
        cast(counted.accounts as bigint) as accounts,
        cast(
            sum(counted.accounts) over (
                partition by counted.period, counted.from_stage
            ) as bigint
        ) as from_stage_accounts,
        {{ percentage(
            'counted.accounts',
            'sum(counted.accounts) over ('
            ~ 'partition by counted.period, counted.from_stage)'
        ) }} as share_of_from_stage
    from counted
)

select * from final

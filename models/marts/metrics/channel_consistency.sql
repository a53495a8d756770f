-- Channel consistency (docs/metrics.md): per period ('all' and each month), the spread
-- max - min of CSAT over the channels whose CSAT cell in cx_scores is not low_sample,
-- with the channels holding the highest and lowest CSAT (ties: channel code asc). The
-- `unknown` channel (codes the seed does not map) is no channel of ours and is left
-- out. Every period appears; with fewer than two channels to compare the spread is
-- NULL.
with

cx_scores as (
    select
        period,
        dimension_value as channel,
        csat,
        csat_answers,
        csat_low_sample
    from {{ ref('cx_scores') }}
    where dimension = 'channel'
),

metric_periods as (
    select
        period,
        period_start
    from {{ ref('metric_periods') }}
),

compared as (
    select
        cx_scores.period,
        cx_scores.channel,
        cx_scores.csat,
        row_number() over (
            partition by cx_scores.period
            order by cx_scores.csat desc, cx_scores.channel asc
        ) as rank_from_top,
        row_number() over (
            partition by cx_scores.period
            order by cx_scores.csat asc, cx_scores.channel asc
        ) as rank_from_bottom
    from cx_scores
    where not cx_scores.csat_low_sample
        and cx_scores.csat is not null
        and cx_scores.channel <> 'unknown'
),

spread as (
    select
        compared.period,
        count(*) as channels_compared,
        max(compared.csat) as max_csat,
        min(compared.csat) as min_csat,
        max(case when compared.rank_from_top = 1 then compared.channel end)
            as highest_csat_channel,
        max(case when compared.rank_from_bottom = 1 then compared.channel end)
            as lowest_csat_channel
    from compared
    group by compared.period
),

final as (
    select
        metric_periods.period,
        metric_periods.period_start,
        cast(coalesce(spread.channels_compared, 0) as bigint) as channels_compared,
        spread.max_csat,
        spread.min_csat,
        case
            when spread.channels_compared >= 2 then spread.max_csat - spread.min_csat
        end as csat_spread,
        spread.highest_csat_channel,
        spread.lowest_csat_channel
    from metric_periods
    left join spread
        on metric_periods.period = spread.period
)

select * from final

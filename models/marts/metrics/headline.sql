-- The headline: one row with the figures of the headline snapshot, over the whole
-- window up to the as-of date, each taken from its metric mart (period 'all', overall),
-- so there is one definition of every figure. The top hotspot is the hotspot ranked 1
-- (most irritations; ties: revenue_at_risk desc, touchpoint_code asc).
with

as_of as (
    select as_of_date from {{ ref('warehouse_as_of') }}
),

cx_scores as (
    select
        nps,
        nps_moe,
        nps_answers,
        csat,
        csat_ci_low,
        csat_ci_high,
        csat_answers,
        ces,
        ces_answers
    from {{ ref('cx_scores') }}
    where period = 'all'
        and dimension = 'overall'
),

repeat_contact_metrics as (
    select
        tickets,
        episodes,
        fcr_rate,
        repeat_contact_rate,
        contacts_per_episode,
        one_touch_rate,
        people_at_risk,
        accounts_at_risk,
        has_immature_tickets
    from {{ ref('repeat_contact_metrics') }}
    where period = 'all'
        and dimension = 'overall'
),

hotspots as (
    select
        touchpoint_code,
        irritations,
        revenue_at_risk,
        hotspot_rank,
        active_customers,
        is_vital_few
    from {{ ref('hotspots') }}
),

service_standard_attainment as (
    select standard_met_rate
    from {{ ref('service_standard_attainment') }}
    where tier = 'all'
),

channel_consistency as (
    select
        csat_spread,
        lowest_csat_channel
    from {{ ref('channel_consistency') }}
    where period = 'all'
),

hotspot_summary as (
    select
        max(hotspots.active_customers) as active_customers,
        sum(case when hotspots.is_vital_few then 1 else 0 end) as vital_few_touchpoints,
        max(case when hotspots.hotspot_rank = 1 then hotspots.touchpoint_code end)
            as top_hotspot_code,
        max(case when hotspots.hotspot_rank = 1 then hotspots.irritations end)
            as top_hotspot_irritations,
        max(case when hotspots.hotspot_rank = 1 then hotspots.revenue_at_risk end)
            as top_hotspot_revenue_at_risk
    from hotspots
),

final as (
    select
        as_of.as_of_date,
        cx_scores.nps,
        cx_scores.nps_moe,
        cast(coalesce(cx_scores.nps_answers, 0) as bigint) as nps_answers,
        cx_scores.csat,
        cx_scores.csat_ci_low,
        cx_scores.csat_ci_high,
        cast(coalesce(cx_scores.csat_answers, 0) as bigint) as csat_answers,
        cx_scores.ces,
        cast(coalesce(cx_scores.ces_answers, 0) as bigint) as ces_answers,
        cast(coalesce(repeat_contact_metrics.tickets, 0) as bigint) as tickets,
        cast(coalesce(repeat_contact_metrics.episodes, 0) as bigint) as episodes,
        repeat_contact_metrics.fcr_rate,
        repeat_contact_metrics.repeat_contact_rate,
        repeat_contact_metrics.contacts_per_episode,
        repeat_contact_metrics.one_touch_rate,
        cast(coalesce(repeat_contact_metrics.accounts_at_risk, 0) as bigint)
            as accounts_at_risk,
        cast(coalesce(repeat_contact_metrics.people_at_risk, 0) as bigint)
            as people_at_risk,
        coalesce(repeat_contact_metrics.has_immature_tickets, false)
            as has_immature_tickets,
        service_standard_attainment.standard_met_rate,
        channel_consistency.csat_spread as channel_csat_spread,
        channel_consistency.lowest_csat_channel,
        cast(coalesce(hotspot_summary.active_customers, 0) as bigint)
            as active_customers,
        cast(coalesce(hotspot_summary.vital_few_touchpoints, 0) as bigint)
            as vital_few_touchpoints,
        hotspot_summary.top_hotspot_code,
        cast(hotspot_summary.top_hotspot_irritations as bigint)
            as top_hotspot_irritations,
        cast(hotspot_summary.top_hotspot_revenue_at_risk as decimal(18, 2))
            as top_hotspot_revenue_at_risk
    from as_of
    left join cx_scores
        on 1 = 1
    left join repeat_contact_metrics
        on 1 = 1
    left join service_standard_attainment
        on 1 = 1
    left join channel_consistency
        on 1 = 1
    cross join hotspot_summary
)

select * from final

-- One row per month, policy, metric, priority, tier and group (grain: started_month,
-- policy_id, metric, priority, tier, group_id; group '(none)' for unassigned tickets):
-- SLA targets achieved, breached and pending at the as-of date, and attainment =
-- achieved / (achieved + breached) x 100 (null when nothing is settled). Month of the
-- start of the metric.
{%- set grain = [
    'started_month', 'policy_id', 'metric', 'priority', 'tier', 'group_id',
] %}
with

slas as (
    select
        started_month,
        policy_id,
        metric,
        coalesce(priority, '(none)') as priority,
        tier,
        coalesce(group_id, '(none)') as group_id,
        sla_status
    from {{ ref('ticket_sla_metrics') }}
),

counted as (
    select
        {%- for column in grain %}
        {{ column }},
        {%- endfor %}
        sum(case when sla_status = 'achieved' then 1 else 0 end) as achieved,
        sum(case when sla_status = 'breached' then 1 else 0 end) as breached,
        sum(case when sla_status = 'pending' then 1 else 0 end) as pending
    from slas
    group by {{ grain | join(', ') }}
),

final as (
    select
        {%- for column in grain %}
        {{ column }},
        {%- endfor %}
        cast(achieved as bigint) as achieved,
        cast(breached as bigint) as breached,
        cast(pending as bigint) as pending,
        case
            when achieved + breached > 0
                then cast(achieved as {{ type_double() }}) * 100 / (achieved + breached)
        end as attainment_pct
    from counted
)

select * from final

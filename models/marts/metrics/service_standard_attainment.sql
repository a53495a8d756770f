-- Service-standard attainment (docs/metrics.md): one row per customer tier of the seed
-- service_standards (the floor row excluded), plus 'unmatched' (tickets of requesters
-- without an account, held to the floor) and 'all'. For first reply, resolution and the
-- standard as a whole (both met), against the tier's targets and against the floor:
-- measured tickets (met + missed; pending ones are left out), met tickets and
-- met_rate = 100 * met / measured. A tier without tickets has 0 tickets and NULL rates.
{%- set checks = ['first_reply', 'resolution', 'standard'] %}
with

ticket_service_levels as (
    select
        tier,
        first_reply_status,
        resolution_status,
        standard_status,
        first_reply_floor_status,
        resolution_floor_status,
        standard_floor_status
    from {{ ref('ticket_service_levels') }}
),

service_standards as (
    select
        tier,
        first_reply_target_minutes,
        resolution_target_hours,
        floor_first_reply_target_minutes,
        floor_resolution_target_hours
    from {{ ref('int_service_standards_paired_with_floor') }}
),

customer_tiers as (
    select
        tier,
        tier_rank
    from {{ ref('customer_tiers') }}
),

tiers as (
    select
        service_standards.tier,
        customer_tiers.tier_rank,
        service_standards.first_reply_target_minutes,
        service_standards.resolution_target_hours,
        service_standards.floor_first_reply_target_minutes,
        service_standards.floor_resolution_target_hours
    from service_standards
    left join customer_tiers
        on service_standards.tier = customer_tiers.tier
    union all
    select
        'all' as tier,
        cast(null as integer) as tier_rank,
        cast(null as integer) as first_reply_target_minutes,
        cast(null as integer) as resolution_target_hours,
        service_standards.floor_first_reply_target_minutes,
        service_standards.floor_resolution_target_hours
    from service_standards
    where service_standards.tier = 'unmatched'
),

-- every ticket once in its own tier and once in `all`
tickets_by_tier as (
    {%- for tier in ['ticket_service_levels.tier', "'all'"] %}
    select
        {{ tier }} as tier,
        ticket_service_levels.first_reply_status,
        ticket_service_levels.resolution_status,
        ticket_service_levels.standard_status,
        ticket_service_levels.first_reply_floor_status,
        ticket_service_levels.resolution_floor_status,
        ticket_service_levels.standard_floor_status
    from ticket_service_levels
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

-- the Jinja loops below write one measured and one met column per check and target
-- noqa: disable=LT02
attainment as (
    select
        tickets_by_tier.tier,
        count(*) as tickets,
        {%- for check in checks %}
        {%- for against in ['', '_floor'] %}
        {%- set status = 'tickets_by_tier.' ~ check ~ against ~ '_status' %}
        {%- set is_last = loop.last and check == checks[-1] %}
        sum(case when {{ status }} in ('met', 'missed') then 1 else 0 end)
            as {{ check }}{{ against }}_measured,
        sum(case when {{ status }} = 'met' then 1 else 0 end)
            as {{ check }}{{ against }}_met{{ "," if not is_last }}
        {%- endfor %}
        {%- endfor %}
    from tickets_by_tier
    group by tickets_by_tier.tier
),

final as (
    select
        tiers.tier,
        tiers.tier_rank,
        cast(tiers.first_reply_target_minutes as integer) as first_reply_target_minutes,
        cast(tiers.resolution_target_hours as integer) as resolution_target_hours,
        cast(tiers.floor_first_reply_target_minutes as integer)
            as floor_first_reply_target_minutes,
        cast(tiers.floor_resolution_target_hours as integer)
            as floor_resolution_target_hours,
        cast(coalesce(attainment.tickets, 0) as bigint) as tickets,
        {%- for check in checks %}
        {%- for against in ['', '_floor'] %}
        {%- set prefix = check ~ against %}
        {%- set is_last = loop.last and check == checks[-1] %}
        cast(coalesce(attainment.{{ prefix }}_measured, 0) as bigint)
            as {{ prefix }}_measured,
        cast(coalesce(attainment.{{ prefix }}_met, 0) as bigint) as {{ prefix }}_met,
        {{ percentage(
            'attainment.' ~ prefix ~ '_met', 'attainment.' ~ prefix ~ '_measured'
        ) }} as {{ prefix }}_met_rate{{ "," if not is_last }}
        {%- endfor %}
        {%- endfor %}
    from tiers
    left join attainment
        on tiers.tier = attainment.tier
)

-- noqa: enable=LT02
select * from final

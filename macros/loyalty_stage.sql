{#- An account's loyalty stage (docs/metrics.md) from its latest nps value, latest csat
    value and non-refund orders in the last 12 months, the first that holds: promoter,
    detractor, loyal, satisfied, else unknown. -#}
{% macro loyalty_stage(latest_nps_value, latest_csat_value, orders_12m) -%}
    case
        when {{ latest_nps_value }} >= 9 then 'promoter'
        when {{ latest_nps_value }} <= 6 or {{ latest_csat_value }} <= 2
            then 'detractor'
        when {{ orders_12m }} >= 2 then 'loyal'
        when {{ latest_csat_value }} >= 4 or {{ latest_nps_value }} between 7 and 8
            then 'satisfied'
        else 'unknown'
    end
{%- endmacro %}

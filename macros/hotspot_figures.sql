{#- The select list of the hotspot Pareto's figure columns, in the order both hotspot
    marts publish them after their own key and touchpoint columns, each qualified by
    `relation` when one is given. int_touchpoint_irritations_ranked_by_period computes
    them once for every period; `hotspots` and `hotspots_monthly` select them with this
    list, so a figure is added or renamed in one place (and in the marts' YAML
    contracts). -#}
{% macro hotspot_figures(relation=none) -%}
    {%- set figures = [
        'irritations',
        'unmatched_irritations',
        'customers_affected',
        'active_customers',
        'share_customers_affected',
        'revenue_at_risk',
        'hotspot_rank',
        'cumulative_irritations',
        'cumulative_share',
        'is_vital_few',
    ] -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {{ prefix }}{{ figures | join(',\n        ' ~ prefix) }}
{%- endmacro %}

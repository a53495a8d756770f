{#- The figure columns of the hotspot Pareto, in the order both hotspot marts publish
    them after their own key and touchpoint columns. int_touchpoint_irritations_ranked_by_period
    computes them once for every period; `hotspots` and `hotspots_monthly` select them
    by this list, so a figure is added or renamed in one place (and in the marts' YAML
    contracts). Returns a list of column names. -#}
{% macro hotspot_figures() -%}
    {{ return([
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
    ]) }}
{%- endmacro %}

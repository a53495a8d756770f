{#- The key columns of a period x dimension cell (relation `cells`, e.g. the rows that
    macro period_cells fans out, or their aggregate by these keys): period, dimension and
    dimension_value, for a select list or a group by. With `periods` (the metric_periods
    rows joined on period), the period's period_start follows the period: the key
    columns of a published metric mart, in their order. -#}
{% macro period_cell_keys(cells, periods=none) -%}
    {{ cells }}.period,
    {%- if periods %}
    {{ periods }}.period_start,
    {%- endif %}
    {{ cells }}.dimension,
    {{ cells }}.dimension_value
{%- endmacro %}

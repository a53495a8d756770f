{#- The rows of `relation` fanned out to the period x dimension cells of the metric
    marts: for every cut (dimension, SQL expression of its value), once in period
    'all' and once in the row's month (`month_column`, a `YYYY-MM` label). Returns the
    `select ... union all select ...` that a CTE holds: columns period, dimension,
    dimension_value, then `columns` of `relation`. Aggregating it by (period,
    dimension, dimension_value) gives the figures of every cell. -#}
{% macro period_cells(relation, month_column, cuts, columns) -%}
    {%- for dimension, value in cuts %}
    {%- set is_last_cut = loop.last %}
    {%- for period in ["'all'", relation ~ '.' ~ month_column] %}
    select
        {{ period }} as period,
        '{{ dimension }}' as dimension,
        {{ value }} as dimension_value,
        {%- for column in columns %}
        {{ relation }}.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    {%- if not (loop.last and is_last_cut) %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- endfor %}
{%- endmacro %}

{#- 100 * numerator / denominator as a double; NULL when the denominator is 0 or NULL
    (an empty cell has no rate, not a rate of 0). -#}
{% macro percentage(numerator, denominator) -%}
    (100 * cast({{ numerator }} as {{ type_double() }})
        / nullif(cast({{ denominator }} as {{ type_double() }}), 0))
{%- endmacro %}

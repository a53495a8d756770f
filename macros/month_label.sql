{#- The `YYYY-MM` text label of the month of a date or timestamp expression, the
    `period` of the monthly metric marts. Portable: a date cast to text is `YYYY-MM-DD`
    on DuckDB, PostgreSQL and Spark, and `substr` exists on all three. -#}
{% macro month_label(expression) -%}
    substr(cast(cast({{ expression }} as date) as {{ dbt.type_string() }}), 1, 7)
{%- endmacro %}

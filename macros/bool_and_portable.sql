{#- true when every value of a boolean expression in the group is true (null when none):
    min over 1/0, the same on DuckDB, PostgreSQL and Spark. -#}
{% macro bool_and_portable(expression) -%}
    min(case when {{ expression }} then 1 else 0 end) = 1
{%- endmacro %}

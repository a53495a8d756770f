{#- The median of a numeric expression, as an aggregate: the continuous 50th percentile
    (the mean of the two middle values for an even count); NULLs are ignored. Dispatched
    (`cx_warehouse` namespace): `percentile_cont(0.5) within group (order by ...)` is
    the SQL standard form that DuckDB, PostgreSQL and Spark 4 all accept. -#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'cx_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

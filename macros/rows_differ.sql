{#- A boolean SQL expression: true when any of `columns` differs between the rows
    `left` and `right` (CTE or relation aliases), NULL-safely: NULL against NULL is no
    difference, NULL against a value is one. Incremental models use it to find the rows
    a new delivery changed. Dispatched (`cx_warehouse` namespace): `is distinct from` on
    DuckDB and PostgreSQL, the null-safe `<=>` on Spark. -#}
{% macro rows_differ(left, right, columns) -%}
    {{ return(adapter.dispatch('rows_differ', 'cx_warehouse')(left, right, columns)) }}
{%- endmacro %}

{% macro default__rows_differ(left, right, columns) -%}
    (
    {%- for column in columns %}
        {{ left }}.{{ column }} is distinct from {{ right }}.{{ column }}
        {%- if not loop.last %} or{% endif %}
    {%- endfor %}
    )
{%- endmacro %}

{% macro spark__rows_differ(left, right, columns) -%}
    not (
    {%- for column in columns %}
        {{ left }}.{{ column }} <=> {{ right }}.{{ column }}
        {%- if not loop.last %} and{% endif %}
    {%- endfor %}
    )
{%- endmacro %}

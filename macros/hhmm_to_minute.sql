{#- Minutes after midnight of a text 'HH:MM' (NULL when either part is not a number). -#}
{% macro hhmm_to_minute(expression) -%}
    cast(
        {{ try_cast_decimal(dbt.split_part('trim(' ~ expression ~ ')', "':'", 1), 4, 0) }}
        as integer
    ) * 60
    + cast(
        {{ try_cast_decimal(dbt.split_part('trim(' ~ expression ~ ')', "':'", 2), 4, 0) }}
        as integer
    )
{%- endmacro %}

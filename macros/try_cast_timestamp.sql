{#- Parse ISO 8601 text to a UTC timestamp (without time zone); NULL when unparseable.
    With an offset the value is converted to UTC, without one it is taken as UTC. -#}
{% macro try_cast_timestamp(expression) -%}
    {{ return(adapter.dispatch('try_cast_timestamp', 'cx_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__try_cast_timestamp(expression) -%}
    {{ target.schema }}.cxw_try_timestamp({{ expression }})
{%- endmacro %}

{% macro duckdb__try_cast_timestamp(expression) -%}
    {#- the profile sets TimeZone=UTC, so timestamptz -> timestamp yields UTC wall time -#}
    cast(try_cast(trim({{ expression }}) as timestamptz) as timestamp)
{%- endmacro %}

{% macro spark__try_cast_timestamp(expression) -%}
    {#- the session time zone is UTC (profile server_side_parameters) -#}
    case
        when trim({{ expression }}) rlike '^[0-9]{4}-[0-9]{2}-[0-9]{2}'
            then try_to_timestamp(trim({{ expression }}))
    end
{%- endmacro %}

{#- Parse ISO 8601 text to a UTC timestamp (without time zone); NULL when unparseable.
    With an offset the value is converted to UTC, without one it is taken as UTC. Only text
    matching iso_timestamp_pattern() is parsed, so every engine accepts the same values. -#}
{% macro try_cast_timestamp(expression) -%}
    {{ return(adapter.dispatch('try_cast_timestamp', 'cx_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__try_cast_timestamp(expression) -%}
    {#- PostgreSQL: a function created by create_udfs (on-run-start), as a failed cast there
        raises and PostgreSQL has no try_cast -#}
    {{ target.schema }}.cxw_try_timestamp({{ expression }})
{%- endmacro %}

{% macro duckdb__try_cast_timestamp(expression) -%}
    {#- the profile sets TimeZone=UTC, so timestamptz -> timestamp yields UTC wall time -#}
    case
        when regexp_full_match(
            trim({{ expression }}), '{{ cx_warehouse.iso_timestamp_pattern() }}'
        )
            then cast(try_cast(trim({{ expression }}) as timestamptz) as timestamp)
    end
{%- endmacro %}

{% macro spark__try_cast_timestamp(expression) -%}
    {#- the session time zone is UTC (profile server_side_parameters); try_to_timestamp
        returns NULL, not an error, whether ANSI mode is on or off -#}
    case
        when trim({{ expression }}) rlike '{{ cx_warehouse.iso_timestamp_pattern() }}'
            then try_to_timestamp(trim({{ expression }}))
    end
{%- endmacro %}

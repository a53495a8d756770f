{#- A local wall-clock timestamp in the IANA zone `time_zone` as a UTC timestamp (without
    time zone), daylight-saving rules included. -#}
{% macro local_to_utc(expression, time_zone) -%}
    {{ return(adapter.dispatch('local_to_utc', 'cx_warehouse')(expression, time_zone)) }}
{%- endmacro %}

{% macro default__local_to_utc(expression, time_zone) -%}
    (({{ expression }}) at time zone ({{ time_zone }})) at time zone 'UTC'
{%- endmacro %}

{% macro duckdb__local_to_utc(expression, time_zone) -%}
    timezone('UTC', timezone({{ time_zone }}, {{ expression }}))
{%- endmacro %}

{% macro spark__local_to_utc(expression, time_zone) -%}
    to_utc_timestamp({{ expression }}, {{ time_zone }})
{%- endmacro %}

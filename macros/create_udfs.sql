{#- Run at the start of every dbt invocation (on-run-start). Engines without a safe cast get
    small SQL functions here; DuckDB and Spark have try_cast and need nothing. -#}
{% macro create_udfs() -%}
    {{ return(adapter.dispatch('create_udfs', 'cx_warehouse')()) }}
{%- endmacro %}

{% macro default__create_udfs() -%}
    select 1
{%- endmacro %}

{% macro postgres__create_udfs() -%}
    create schema if not exists {{ target.schema }};
    create or replace function {{ target.schema }}.cxw_try_timestamp(value text)
    returns timestamp
    language plpgsql immutable
    set timezone = 'UTC'
    as $$
    begin
        -- Only ISO 8601 text (iso_timestamp_pattern), as on the other engines: PostgreSQL
        -- alone would also read 'now', 'yesterday', zone names or 24:00.
        if value is null or trim(value) !~ '{{ cx_warehouse.iso_timestamp_pattern() }}' then
            return null;
        end if;
        return (trim(value)::timestamptz at time zone 'UTC');
    exception when others then
        return null;
    end;
    $$;
{%- endmacro %}

{#- Parse decimal text (plain notation, optional sign and fraction); NULL when unparseable. -#}
{% macro try_cast_decimal(expression, precision=18, scale=4) -%}
    {{ return(adapter.dispatch('try_cast_decimal', 'cx_warehouse')(expression, precision, scale)) }}
{%- endmacro %}

{% macro default__try_cast_decimal(expression, precision, scale) -%}
    case
        when trim({{ expression }}) ~ '^[-+]?[0-9]+([.][0-9]+)?$'
            then cast(trim({{ expression }}) as decimal({{ precision }}, {{ scale }}))
    end
{%- endmacro %}

{% macro duckdb__try_cast_decimal(expression, precision, scale) -%}
    case
        when regexp_full_match(trim({{ expression }}), '[-+]?[0-9]+([.][0-9]+)?')
            then try_cast(trim({{ expression }}) as decimal({{ precision }}, {{ scale }}))
    end
{%- endmacro %}

{% macro spark__try_cast_decimal(expression, precision, scale) -%}
    case
        when trim({{ expression }}) rlike '^[-+]?[0-9]+([.][0-9]+)?$'
            then try_cast(trim({{ expression }}) as decimal({{ precision }}, {{ scale }}))
    end
{%- endmacro %}

{#- Parse decimal text (plain notation, optional sign and fraction) to decimal(precision,
    scale), rounding the fraction to scale; NULL when unparseable or when it does not fit
    (more than precision - scale integer digits), on every engine. -#}
{% macro try_cast_decimal(expression, precision=18, scale=4) -%}
    {{ return(adapter.dispatch('try_cast_decimal', 'cx_warehouse')(expression, precision, scale)) }}
{%- endmacro %}

{% macro default__try_cast_decimal(expression, precision, scale) -%}
    {#- PostgreSQL: no try_cast and CASE is the only guaranteed evaluation order, hence the
        nested CASE: the pattern first, then the range check on the unconstrained numeric,
        then the cast, which can no longer raise "numeric field overflow" -#}
    case
        when trim({{ expression }}) ~ '^[-+]?[0-9]+([.][0-9]+)?$'
            then case
                when abs(round(cast(trim({{ expression }}) as numeric), {{ scale }}))
                    < {{ 10 ** (precision - scale) }}
                    then cast(trim({{ expression }}) as decimal({{ precision }}, {{ scale }}))
            end
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

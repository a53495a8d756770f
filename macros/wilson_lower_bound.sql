{#- Lower bound of the Wilson score interval of a proportion, in percent (0-100):
    100 * (p + z^2/(2n) - z * sqrt(p(1-p)/n + z^2/(4n^2))) / (1 + z^2/n), with
    p = successes / n; NULL when n = 0, exactly 0 when there is no success (where the
    formula gives 0 up to rounding). z = 1.96: the 95 % interval (docs/metrics.md, CSAT). -#}
{% macro wilson_lower_bound(successes, trials, z=1.96) -%}
    {%- set n = "nullif(cast(" ~ trials ~ " as " ~ type_double() ~ "), 0)" -%}
    {%- set p = "(cast(" ~ successes ~ " as " ~ type_double() ~ ") / " ~ n ~ ")" -%}
    (case
        when {{ successes }} = 0 and {{ trials }} > 0
            then cast(0 as {{ type_double() }})
        else 100 * (
            {{ p }} + {{ z }} * {{ z }} / (2 * {{ n }})
            - {{ z }} * sqrt({{ p }} * (1 - {{ p }}) / {{ n }}
                + {{ z }} * {{ z }} / (4 * {{ n }} * {{ n }}))
        ) / (1 + {{ z }} * {{ z }} / {{ n }})
    end)
{%- endmacro %}

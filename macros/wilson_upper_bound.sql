{#- Upper bound of the Wilson score interval of a proportion, in percent (0-100):
    100 * (p + z^2/(2n) + z * sqrt(p(1-p)/n + z^2/(4n^2))) / (1 + z^2/n), with
    p = successes / n; NULL when n = 0, exactly 100 when every trial is a success (where
    the formula gives 100 up to rounding). z = 1.96: the 95 % interval (docs/metrics.md). -#}
{% macro wilson_upper_bound(successes, trials, z=1.96) -%}
    {%- set n = "nullif(cast(" ~ trials ~ " as " ~ type_double() ~ "), 0)" -%}
    {%- set p = "(cast(" ~ successes ~ " as " ~ type_double() ~ ") / " ~ n ~ ")" -%}
    (case
        when {{ successes }} = {{ trials }} and {{ trials }} > 0
            then cast(100 as {{ type_double() }})
        else 100 * (
            {{ p }} + {{ z }} * {{ z }} / (2 * {{ n }})
            + {{ z }} * sqrt({{ p }} * (1 - {{ p }}) / {{ n }}
                + {{ z }} * {{ z }} / (4 * {{ n }} * {{ n }}))
        ) / (1 + {{ z }} * {{ z }} / {{ n }})
    end)
{%- endmacro %}

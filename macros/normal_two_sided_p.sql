{#- Two-sided p-value of a standard normal statistic `z`: P(|Z| >= |z|) = erfc(|z| / sqrt 2).
    erfc by the Chebyshev-fitted formula of Numerical Recipes (erfcc; relative error below
    1.2e-7 everywhere), written with exp and sqrt only so that it runs on DuckDB, PostgreSQL
    and Spark. |z| is capped at 8 (p below 1.3e-15 is reported as that), which also keeps exp
    away from PostgreSQL's underflow error. NULL when z is NULL. -#}
{% macro normal_two_sided_p(z) -%}
    {%- set x = "(least(abs(" ~ z ~ "), 8.0) / sqrt(2.0))" -%}
    {%- set t = "(1.0 / (1.0 + 0.5 * " ~ x ~ "))" -%}
    ({{ t }} * exp(
        -{{ x }} * {{ x }} - 1.26551223
        + {{ t }} * (1.00002368
        + {{ t }} * (0.37409196
        + {{ t }} * (0.09678418
        + {{ t }} * (-0.18628806
        + {{ t }} * (0.27886807
        + {{ t }} * (-1.13520398
        + {{ t }} * (1.48851587
        + {{ t }} * (-0.82215223
        + {{ t }} * 0.17087277))))))))
    ))
{%- endmacro %}

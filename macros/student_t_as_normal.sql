{#- A Student t statistic with `df` degrees of freedom mapped to the standard normal
    statistic with the same tail probability (the approximation of Abramowitz and Stegun
    26.7.8: z = t (1 - 1/(4 df)) / sqrt(1 + t^2 / (2 df))), so that Welch's t-test can use
    `normal_two_sided_p`. Two-sided p-values agree with the exact t distribution to about
    1e-3 for df >= 10, and better as df grows; cells are only tested with at least
    `min_sample` answers on each side (df >= 29 by default). -#}
{% macro student_t_as_normal(t, df) -%}
    ({{ t }} * (1.0 - 1.0 / (4.0 * {{ df }}))
        / sqrt(1.0 + {{ t }} * {{ t }} / (2.0 * {{ df }})))
{%- endmacro %}

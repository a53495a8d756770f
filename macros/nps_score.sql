{#- Net Promoter Score (docs/metrics.md): 100 * (promoters - detractors) / answers, a double
    from -100 to 100; NULL when there is no answer. -#}
{% macro nps_score(promoters, detractors, answers) -%}
    (100 * cast({{ promoters }} - {{ detractors }} as {{ type_double() }})
        / nullif(cast({{ answers }} as {{ type_double() }}), 0))
{%- endmacro %}

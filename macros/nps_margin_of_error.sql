{#- 95 % margin of error of an NPS, in NPS points (docs/metrics.md):
    196 * sqrt((p + d - (p - d)^2) / n), with p and d the promoter and detractor shares
    and n the answers; NULL when there is no answer. -#}
{% macro nps_margin_of_error(promoters, detractors, answers) -%}
    {%- set n = "nullif(cast(" ~ answers ~ " as " ~ type_double() ~ "), 0)" -%}
    {%- set p = "(cast(" ~ promoters ~ " as " ~ type_double() ~ ") / " ~ n ~ ")" -%}
    {%- set d = "(cast(" ~ detractors ~ " as " ~ type_double() ~ ") / " ~ n ~ ")" -%}
    (196 * sqrt(
        ({{ p }} + {{ d }} - ({{ p }} - {{ d }}) * ({{ p }} - {{ d }})) / {{ n }}
    ))
{%- endmacro %}

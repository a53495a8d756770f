{#- Valence of a survey response: that of its nps answer, else its csat answer, else its
    ces answer, else neutral (docs/metrics.md). Arguments are the response's scores. -#}
{% macro survey_response_valence(nps_value, csat_value, ces_value) -%}
    coalesce(
        {{ survey_answer_valence("'nps'", nps_value) }},
        {{ survey_answer_valence("'csat'", csat_value) }},
        {{ survey_answer_valence("'ces'", ces_value) }},
        'neutral'
    )
{%- endmacro %}

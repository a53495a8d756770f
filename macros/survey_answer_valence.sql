{#- Valence of one survey answer (docs/metrics.md, experience valence):
    nps 9-10, csat 4-5, ces 6-7 -> positive; nps 0-6, csat 1-2, ces 1-3 -> negative;
    any other score of these measures -> neutral; NULL when the value is NULL or the
    measure carries no valence (importance, performance, comment). -#}
{% macro survey_answer_valence(measure, value) -%}
    case
        when {{ value }} is null then null
        when {{ measure }} = 'nps' and {{ value }} >= 9 then 'positive'
        when {{ measure }} = 'nps' and {{ value }} <= 6 then 'negative'
        when {{ measure }} = 'nps' then 'neutral'
        when {{ measure }} = 'csat' and {{ value }} >= 4 then 'positive'
        when {{ measure }} = 'csat' and {{ value }} <= 2 then 'negative'
        when {{ measure }} = 'csat' then 'neutral'
        when {{ measure }} = 'ces' and {{ value }} >= 6 then 'positive'
        when {{ measure }} = 'ces' and {{ value }} <= 3 then 'negative'
        when {{ measure }} = 'ces' then 'neutral'
    end
{%- endmacro %}

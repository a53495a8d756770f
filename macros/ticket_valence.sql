{#- Valence of a ticket: negative when it was reopened or is a repeat contact, else
    neutral (docs/metrics.md). Arguments are boolean expressions. -#}
{% macro ticket_valence(is_reopened, is_repeat_contact) -%}
    case
        when {{ is_reopened }} or {{ is_repeat_contact }} then 'negative'
        else 'neutral'
    end
{%- endmacro %}

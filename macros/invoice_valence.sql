{#- Valence of an invoice: negative when disputed or unpaid more than unpaid_grace_days
    after due_at as of the as-of date, else neutral (docs/metrics.md). Boolean arguments. -#}
{% macro invoice_valence(is_disputed, is_unpaid_overdue) -%}
    case
        when {{ is_disputed }} or {{ is_unpaid_overdue }} then 'negative'
        else 'neutral'
    end
{%- endmacro %}

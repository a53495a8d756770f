{#- An account attribute as the metric marts cut by it (tier, segment): 'unmatched'
    when the row has no account (a person whose email matches no CRM contact),
    'unknown' when the account has no value. -#}
{% macro account_attribute(account_id, attribute) -%}
    case
        when {{ account_id }} is null then 'unmatched'
        else coalesce({{ attribute }}, 'unknown')
    end
{%- endmacro %}

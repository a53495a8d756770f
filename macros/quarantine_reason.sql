{#- Why a delivered row leaves for quarantine, NULL when it stays: `missing_key` without
    its key (when `key_column` is given), else the contract rule it breaks (`issue_column`),
    else `duplicate_key` for a later occurrence of its key (column key_occurrence, see the
    macro key_occurrence). -#}
{% macro quarantine_reason(relation, key_column, issue_column='row_issue') -%}
    case
        {%- if key_column %}
        when {{ relation }}.{{ key_column }} is null then 'missing_key'
        {%- endif %}
        when {{ relation }}.{{ issue_column }} is not null
            then {{ relation }}.{{ issue_column }}
        when {{ relation }}.key_occurrence > 1 then 'duplicate_key'
    end
{%- endmacro %}

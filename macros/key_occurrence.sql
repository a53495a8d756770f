{#- Which occurrence of its key a delivered row is, among the rows of `relation` with
    the same key and the same contract issue, in delivery order (_source_row): 1 for the
    first.
    A later occurrence of a valid row is a duplicate (see quarantine_reason). -#}
{% macro key_occurrence(relation, key_columns, issue_column='row_issue') -%}
    row_number() over (
        partition by
            {%- for column in key_columns %}
            {{ relation }}.{{ column }},
            {%- endfor %}
            {{ relation }}.{{ issue_column }}
        order by {{ relation }}._source_row
    )
{%- endmacro %}

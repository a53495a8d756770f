{#- An optional column of a raw relation (ingest/contract.py OPTIONAL_COLUMNS): the column
    as text when the relation has it, else a text NULL. `alias` qualifies the column. -#}
{% macro optional_column(relation, column, alias) -%}
    {%- set present = [] -%}
    {%- if execute -%}
        {%- for c in adapter.get_columns_in_relation(relation) -%}
            {%- if c.name | lower == column | lower -%}{%- do present.append(c) -%}{%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if present -%}
        cast({{ alias }}.{{ column }} as {{ dbt.type_string() }})
    {%- else -%}
        cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

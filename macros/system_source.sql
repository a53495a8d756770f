{#- The delivered rows of one raw table of a source system (crm, ticketing, survey): the
    raw contract's source table, or, when var('<system>_source') names a vendor, that
    vendor adapter's model `<vendor>__<table>` (docs/sources.md). Returns the relation;
    the source() and ref() calls keep the lineage. -#}
{% macro system_source(system, table_name) -%}
    {%- set vendor = var(system ~ '_source') -%}
    {%- if vendor == 'contract' -%}
        {{ source(system, table_name) }}
    {%- else -%}
        {{ ref(vendor ~ '__' ~ table_name) }}
    {%- endif -%}
{%- endmacro %}

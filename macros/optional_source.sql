{#- A select over an optional raw table (ingest/contract.py OPTIONAL_TABLES): the table's
    columns as text when it exists, else zero rows with the same columns, so that models over
    an absent optional table build and are empty. The source() call keeps the lineage. When
    var <system>_source names a vendor, the vendor adapter's model `<vendor>__<table>`
    instead (models/adapters/zendesk/zendesk__schedules ...). -#}
{% macro optional_source(source_name, table_name, columns) -%}
    {%- set vendor = var(source_name ~ '_source', 'contract') -%}
    {%- if vendor != 'contract' -%}
        {#- a system read from a vendor: its adapter's model <vendor>__<table> (the same
            columns as text plus the lineage columns; empty when the vendor's optional
            tables were not landed) -#}
        select
            {%- for c in columns %}
            cast({{ c }} as {{ dbt.type_string() }}) as {{ c }},
            {%- endfor %}
            cast(_source_row as {{ dbt.type_bigint() }}) as _source_row,
            cast(_batch_id as {{ dbt.type_string() }}) as _batch_id
        from {{ ref(vendor ~ '__' ~ table_name) }}
    {%- else -%}
    {%- set src = source(source_name, table_name) -%}
    {%- set rel = none -%}
    {%- if execute -%}
        {%- set rel = adapter.get_relation(
            database=src.database, schema=src.schema, identifier=src.identifier
        ) -%}
    {%- endif -%}
    {%- if rel is not none -%}
        select
            {%- for c in columns %}
            cast({{ c }} as {{ dbt.type_string() }}) as {{ c }},
            {%- endfor %}
            cast(_source_row as {{ dbt.type_bigint() }}) as _source_row,
            cast(_batch_id as {{ dbt.type_string() }}) as _batch_id
        from {{ src }}
    {%- else -%}
        select
            {%- for c in columns %}
            cast(null as {{ dbt.type_string() }}) as {{ c }},
            {%- endfor %}
            cast(null as {{ dbt.type_bigint() }}) as _source_row,
            cast(null as {{ dbt.type_string() }}) as _batch_id
        where 1 = 0
    {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- The optional columns (ingest/contract.py OPTIONAL_COLUMNS) of a ticketing raw table,
    with the lineage columns to join them back to its staging model: a select of
    _batch_id, _source_row and each of `columns` (text, NULL when the table lacks it), from
    the rows base_ticketing__<table> reads: the contract's raw table, or the vendor adapter's
    model `<vendor>__<table>` when var ticketing_source names a vendor. -#}
{% macro ticketing_optional_columns(table, columns) -%}
    {%- if var('ticketing_source') == 'contract' -%}
        {%- set raw = source('ticketing', table) -%}
    {%- else -%}
        {%- set raw = ref(var('ticketing_source') ~ '__' ~ table) -%}
    {%- endif %}
    select
        source._batch_id,
        source._source_row,
        {%- for column in columns %}
        {{ optional_column(raw, column, 'source') }} as {{ column }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from {{ raw }} as source
{%- endmacro %}

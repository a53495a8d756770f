{#- The config of an incremental fact, for `config(**incremental_fact_config(...))`:
    incremental on DuckDB and PostgreSQL (delete+insert on `unique_key`, failing on a
    schema change: a change to the model's SQL needs --full-refresh), a table rebuilt in
    full on Spark, whose default (parquet) tables take neither merge nor delete; and the
    post-hook that deletes the tombstones an incremental run writes (rows whose
    `tombstone_column`, never NULL otherwise, is NULL; macro incremental_fact_rows). -#}
{% macro incremental_fact_config(unique_key, tombstone_column) -%}
    {{ return({
        'materialized': 'table' if target.type == 'spark' else 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': unique_key,
        'on_schema_change': 'fail',
        'post_hook': '{% if is_incremental() %}delete from {{ this }} where '
            ~ tombstone_column ~ ' is null{% endif %}',
    }) }}
{%- endmacro %}

{#- Helpers of the vendor adapters (models/adapters/): vendor columns arrive typed (Fivetran
    lands timestamps, booleans, numbers) or as text; the adapters hand text to staging. -#}

{#- Any vendor value as text: a timestamp becomes `YYYY-MM-DD hh:mm:ss[.ffffff][+00]`, which
    try_cast_timestamp accepts; a boolean `true`/`false`; text stays as it is. -#}
{% macro vendor_text(expression) -%}
    cast({{ expression }} as {{ dbt.type_string() }})
{%- endmacro %}

{#- A vendor flag (boolean, 0/1 or text) as a boolean: true only for true/t/1/yes/y; null,
    blank and anything else are false (a missing _fivetran_deleted means not deleted). -#}
{% macro vendor_flag(expression) -%}
    coalesce(lower(trim(cast({{ expression }} as {{ dbt.type_string() }}))) in (
        'true', 't', '1', 'yes', 'y'
    ), false)
{%- endmacro %}

{#- Fail with one line naming the schema, table and column when the vendor table an adapter
    reads is missing or lacks a column it needs. Runs when the model is compiled for a run. -#}
{% macro vendor_require_columns(source_name, table_name, columns) -%}
    {%- if execute -%}
        {%- set relation = source(source_name, table_name) -%}
        {%- set found = adapter.get_columns_in_relation(relation) -%}
        {%- set names = found | map(attribute='name') | map('lower') | list -%}
        {%- if names | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                "vendor table missing: " ~ source_name ~ " table '" ~ relation.identifier
                ~ "' not found in schema '" ~ relation.schema ~ "' (set var "
                ~ source_name ~ "_schema to the schema the connector lands in)"
            ) }}
        {%- endif -%}
        {%- for column in columns -%}
            {%- if column | lower not in names -%}
                {{ exceptions.raise_compiler_error(
                    "vendor column missing: schema '" ~ relation.schema ~ "', table '"
                    ~ relation.identifier ~ "' has no column '" ~ column ~ "' (needed by the "
                    ~ source_name ~ " adapter)"
                ) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- The SQL list literal of a var's values, trimmed and lower-cased: ('a', 'b'). -#}
{% macro vendor_key_list(values) -%}
    ({%- for value in values -%}
        '{{ value | string | trim | lower | replace("'", "''") }}'{{ ", " if not loop.last }}
    {%- endfor -%})
{%- endmacro %}

{#- The Qualtrics adapter's question key: <survey_id>:<question id>[:<sub_question_key>]
    [@<loop_id>] (Qualtrics question ids are unique only within a survey). -#}
{% macro qualtrics_question_key(survey_id, question_id, sub_question_key, loop_id) -%}
    {{ dbt.concat([
        "coalesce(" ~ survey_id ~ ", '')", "':'", question_id,
        "case when " ~ sub_question_key ~ " is not null then "
            ~ dbt.concat(["':'", sub_question_key]) ~ " else '' end",
        "case when " ~ loop_id ~ " is not null then "
            ~ dbt.concat(["'@'", loop_id]) ~ " else '' end",
    ]) }}
{%- endmacro %}

{#- Whether the vendor table has `column` (optional vendor columns: custom fields, columns
    some connector versions land). False while parsing. -#}
{% macro vendor_has_column(source_name, table_name, column) -%}
    {%- if not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set found = adapter.get_columns_in_relation(source(source_name, table_name)) -%}
    {{ return(column | lower in (found | map(attribute='name') | map('lower') | list)) }}
{%- endmacro %}

{#- `prefix.column` when the vendor table has the column, else `fallback` (SQL). -#}
{% macro vendor_optional(source_name, table_name, column, fallback='null', prefix='') -%}
    {%- if column and vendor_has_column(source_name, table_name, column) -%}
        {{ prefix }}{{ column }}
    {%- else -%}
        {{ fallback }}
    {%- endif -%}
{%- endmacro %}

{#- Whether the vendor table exists (tables some connector versions land). False while
    parsing. -#}
{% macro vendor_has_table(source_name, table_name) -%}
    {%- if not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(load_relation(source(source_name, table_name)) is not none) }}
{%- endmacro %}

{#- The deleted-row test of a vendor table: any of is_deleted / _fivetran_deleted it has
    is true. -#}
{% macro vendor_row_deleted(source_name, table_name, prefix='') -%}
    (
        false
        {%- if vendor_has_column(source_name, table_name, 'is_deleted') %}
        or {{ vendor_flag(prefix ~ 'is_deleted') }}
        {%- endif %}
        {%- if vendor_has_column(source_name, table_name, '_fivetran_deleted') %}
        or {{ vendor_flag(prefix ~ '_fivetran_deleted') }}
        {%- endif %}
    )
{%- endmacro %}

{#- An old version of a row (Fivetran's history mode: _fivetran_active false), when the
    vendor table has _fivetran_active. -#}
{% macro vendor_row_inactive(source_name, table_name, prefix='') -%}
    {%- if vendor_has_column(source_name, table_name, '_fivetran_active') -%}
        (lower(trim({{ vendor_text(prefix ~ '_fivetran_active') }})) in ('false', 'f', '0'))
    {%- else -%}
        false
    {%- endif -%}
{%- endmacro %}

{#- A vendor value as trimmed text, blank as null (a CSV landed as text has '' for none). -#}
{% macro vendor_value(expression) -%}
    nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
{%- endmacro %}

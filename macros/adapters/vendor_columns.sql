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
    reads is missing, in any connector (vendor_connectors), or lacks a column it needs. Runs
    when the model is compiled for a run. -#}
{% macro vendor_require_columns(source_name, table_name, columns) -%}
    {%- if execute -%}
        {%- for connector in vendor_connectors(source_name) -%}
            {%- set relation = vendor_relation(source_name, table_name, connector) -%}
            {%- set found = adapter.get_columns_in_relation(relation) -%}
            {%- set names = found | map(attribute='name') | map('lower') | list -%}
            {%- if names | length == 0 -%}
                {{ exceptions.raise_compiler_error(
                    "vendor table missing: " ~ source_name ~ " table '" ~ table_name
                    ~ "' not found in schema '" ~ connector['schema'] ~ "' (connector "
                    ~ connector['name'] ~ "; set var " ~ source_name ~ "_schema or "
                    ~ source_name ~ "_connectors to the schema the connector lands in)"
                ) }}
            {%- endif -%}
            {%- for column in columns -%}
                {%- if column | lower not in names -%}
                    {{ exceptions.raise_compiler_error(
                        "vendor column missing: schema '" ~ connector['schema'] ~ "', table '"
                        ~ table_name ~ "' has no column '" ~ column ~ "' (needed by the "
                        ~ source_name ~ " adapter, connector " ~ connector['name'] ~ ")"
                    ) }}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- SQL true when `expression` (a connector name) is one of `names`; false for none. -#}
{% macro vendor_connector_in(expression, names) -%}
    {%- if names | length == 0 -%}
        false
    {%- else -%}
        {{ expression }} in ({%- for name in names -%}
            '{{ name | string | replace("'", "''") }}'{{ ", " if not loop.last }}
        {%- endfor -%})
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

{#- Whether any connector of the vendor (vendor_connectors) lands the table (tables some
    connector versions land). False while parsing. -#}
{% macro vendor_has_table(source_name, table_name) -%}
    {%- if not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {%- for connector in vendor_connectors(source_name) -%}
        {%- if load_relation(vendor_relation(source_name, table_name, connector)) is not none -%}
            {{ return(true) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(false) }}
{%- endmacro %}

{#- The names of the connectors (vendor_connectors) that do not land the table. -#}
{% macro vendor_connectors_without(source_name, table_name) -%}
    {%- set missing = [] -%}
    {%- if execute -%}
        {%- for connector in vendor_connectors(source_name) -%}
            {%- if load_relation(vendor_relation(source_name, table_name, connector)) is none -%}
                {%- do missing.append(connector['name']) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(missing) }}
{%- endmacro %}

{#- The deleted-row test of a vendor row read through vendor_union with the optional
    columns is_deleted and _fivetran_deleted (NULL where a connector lacks them): either
    is true. -#}
{% macro vendor_row_deleted(prefix='') -%}
    ({{ vendor_flag(prefix ~ 'is_deleted') }} or {{ vendor_flag(prefix ~ '_fivetran_deleted') }})
{%- endmacro %}

{#- An old version of a row (Fivetran's history mode: _fivetran_active false), read through
    vendor_union with the optional column _fivetran_active (NULL, so false, where absent). -#}
{% macro vendor_row_inactive(prefix='') -%}
    coalesce(lower(trim({{ vendor_text(prefix ~ '_fivetran_active') }})) in ('false', 'f', '0'), false)
{%- endmacro %}

{#- The optional columns of vendor_row_deleted and vendor_row_inactive. -#}
{% macro vendor_state_columns(history=false) -%}
    {{ return(['is_deleted', '_fivetran_deleted'] + (['_fivetran_active'] if history else [])) }}
{%- endmacro %}

{#- A vendor value as trimmed text, blank as null (a CSV landed as text has '' for none). -#}
{% macro vendor_value(expression) -%}
    nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
{%- endmacro %}

{#- A person's name from first and last name columns: `first last`, trimmed ('' when both
    are missing). -#}
{% macro vendor_full_name(first_name, last_name) -%}
    trim({{ dbt.concat([
        "coalesce(" ~ vendor_text(first_name) ~ ", '')",
        "' '",
        "coalesce(" ~ vendor_text(last_name) ~ ", '')",
    ]) }})
{%- endmacro %}

{#- A vendor flag (vendor_flag) as the raw contract's boolean text 'true' / 'false'. -#}
{% macro vendor_flag_text(expression) -%}
    case when {{ vendor_flag(expression) }} then 'true' else 'false' end
{%- endmacro %}

{#- The raw contract's lineage columns of an adapter model reading `<rows>` (a CTE or
    relation with _connector and _fivetran_synced): _source_file and _batch_id
    `<connector>.<vendor table>`, _source_row numbered per connector by `order_by`,
    _loaded_at from _fivetran_synced. -#}
{% macro vendor_lineage(rows, vendor_table, order_by) -%}
    {{ dbt.concat([rows ~ "._connector", "'." ~ vendor_table ~ "'"]) }} as _source_file,
    row_number() over (
        partition by {{ rows }}._connector
        order by {{ order_by }}
    ) as _source_row,
    {{ dbt.concat([rows ~ "._connector", "'." ~ vendor_table ~ "'"]) }} as _batch_id,
    cast({{ rows }}._fivetran_synced as {{ dbt.type_timestamp() }}) as _loaded_at
{%- endmacro %}

{#- The whole SQL of an adapter's contract model: the rows of `rows_model` (a
    <vendor>__<table>_rows model) without exclusion_reason, as raw contract rows: `columns`
    then the lineage columns (vendor_lineage; _source_row numbered by `order_by`). -#}
{% macro vendor_kept_rows(rows_model, vendor_table, columns, order_by) -%}
with

kept as (
    select * from {{ ref(rows_model) }}
    where exclusion_reason is null
)

select
    {%- for column in columns %}
    kept.{{ column }},
    {%- endfor %}
    {{ vendor_lineage('kept', vendor_table, 'kept.' ~ order_by) }}
from kept
{%- endmacro %}

{#- The whole SQL of a contract table a vendor cannot feed: no rows, the raw contract's
    `columns` as text and the lineage columns typed
    as the raw loader types them. -#}
{% macro vendor_empty_contract_table(columns) -%}
select
    {%- for column in columns %}
    cast(null as {{ dbt.type_string() }}) as {{ column }},
    {%- endfor %}
    cast(null as {{ dbt.type_string() }}) as _source_file,
    cast(null as {{ dbt.type_bigint() }}) as _source_row,
    cast(null as {{ dbt.type_string() }}) as _batch_id,
    cast(null as {{ dbt.type_timestamp() }}) as _loaded_at
from (select 1 as no_row) as nothing
where 1 = 0
{%- endmacro %}

{#- The whole SQL of a <vendor>__row_counts model: per connector and vendor table of
    `feeds` (a list of (vendor table, contract table)), the rows it holds (every version in
    history mode); vendor_table `<connector>.<table>`, the _batch_id of the contract rows
    it gives. -#}
{% macro vendor_row_counts(vendor, feeds) -%}
{%- for table_name, contract_table in feeds %}
select
    cast('{{ vendor }}' as {{ dbt.type_string() }}) as vendor,
    {{ dbt.concat([table_name ~ "_rows._connector", "'." ~ table_name ~ "'"]) }} as vendor_table,
    cast('{{ contract_table }}' as {{ dbt.type_string() }}) as contract_table,
    cast(count(*) as {{ dbt.type_bigint() }}) as vendor_rows
from (
    {{ vendor_union(vendor, table_name, []) | indent(4) }}
) as {{ table_name }}_rows
group by {{ table_name }}_rows._connector
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{%- endmacro %}

{#- The whole SQL of a <vendor>__excluded model over row models: for each (vendor table,
    rows model, key column) of `feeds`, the rows with an exclusion_reason; vendor_table
    `<connector>.<table>`; an old version's vendor_id is `<id>@<_fivetran_synced>`. -#}
{% macro vendor_excluded_rows(feeds) -%}
{%- for vendor_table, model, key in feeds %}
select
    {{ dbt.concat(["_connector", "'." ~ vendor_table ~ "'"]) }} as vendor_table,
    case
        when exclusion_reason = 'history_version'
            then {{ dbt.concat([key, "'@'", vendor_text('_fivetran_synced')]) }}
        else {{ key }}
    end as vendor_id,
    exclusion_reason
from {{ ref(model) }}
where exclusion_reason is not null
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{%- endmacro %}

{#- The body of a CTE ranking the rows of an association CTE (read through vendor_union):
    owner_id (ids through vendor_id), associated_id, association_rank 1 for the owner's
    primary association (type_id = `primary_type_id`), then by the lowest associated id.
    Join it with `association_rank = 1`. -#}
{% macro vendor_primary_association(vendor, association, owner_column, associated_column,
    primary_type_id) -%}
    select
        {{ vendor_id(vendor, association ~ '.' ~ owner_column) }} as owner_id,
        {{ vendor_id(vendor, association ~ '.' ~ associated_column) }} as associated_id,
        row_number() over (
            partition by {{ vendor_id(vendor, association ~ '.' ~ owner_column) }}
            order by
                case
                    when {{ vendor_text(association ~ '.type_id') }} = '{{ primary_type_id }}'
                        then 0
                    else 1
                end,
                {{ vendor_id(vendor, association ~ '.' ~ associated_column) }}
        ) as association_rank
    from {{ association }}
{%- endmacro %}

{#- The final select of a <vendor>__unmapped_values model: the rows of the CTEs `ctes`
    (each vendor_table, vendor_field, vendor_value, fallback, row_count), `union all`,
    with the vendor's name first. -#}
{% macro vendor_unmapped_rows(vendor, ctes) -%}
{%- for cte in ctes %}
select
    cast('{{ vendor }}' as {{ dbt.type_string() }}) as vendor,
    {{ cte }}.vendor_table,
    {{ cte }}.vendor_field,
    {{ cte }}.vendor_value,
    {{ cte }}.fallback,
    {{ cte }}.row_count
from {{ cte }}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{%- endmacro %}

{#- The vendor tables whose extra columns (var vendor_extra_columns) reach a conformed
    mart: (vendor, vendor table) -> the side model <vendor>__extra_attributes and the mart
    (docs/sources.md, "Extra vendor columns"). -#}
{% macro vendor_extra_tables() -%}
    {{ return({
        ('zendesk', 'ticket'): 'tickets',
        ('salesforce', 'account'): 'customers',
        ('hubspot', 'company'): 'customers',
    }) }}
{%- endmacro %}

{#- The extra columns of a vendor table listed in var vendor_extra_columns
    ({<vendor>: {<vendor table>: [column, ...]}}), checked: a vendor table whose columns
    reach no mart, a name that is not a plain column name, or a name that looks like
    personal data (email, name, phone) stops the run with one line naming it. -#}
{% macro vendor_extra_column_list(vendor, vendor_table) -%}
    {%- set configured = var('vendor_extra_columns', {}) or {} -%}
    {%- set supported = vendor_extra_tables() -%}
    {%- for listed_vendor, tables in configured.items() -%}
        {%- for listed_table in (tables or {}).keys() -%}
            {%- if (listed_vendor, listed_table) not in supported -%}
                {%- do exceptions.raise_compiler_error(
                    "var vendor_extra_columns: " ~ listed_vendor ~ "." ~ listed_table
                    ~ " reaches no conformed mart (supported: zendesk.ticket, "
                    ~ "salesforce.account, hubspot.company; docs/sources.md)") -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set columns = ((configured.get(vendor) or {}).get(vendor_table) or []) | list -%}
    {%- for column in columns -%}
        {%- if not modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', column | string) -%}
            {%- do exceptions.raise_compiler_error(
                "var vendor_extra_columns: " ~ vendor ~ "." ~ vendor_table ~ " column '"
                ~ column ~ "' is not a plain column name (letters, digits, _)") -%}
        {%- endif -%}
        {%- if modules.re.search('e_?mail|name|phone|mobile', column | lower) -%}
            {%- do exceptions.raise_compiler_error(
                "var vendor_extra_columns: " ~ vendor ~ "." ~ vendor_table ~ " column '"
                ~ column ~ "' looks like personal data (email, name or phone): it may not "
                ~ "reach the marts; remove it from the list") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{#- The body of a conformed mart's CTE `vendor_attributes` (id, vendor_attributes) for a
    system ('ticketing' or 'crm'): its vendor's side model <vendor>__extra_attributes, or no
    rows when the system is read from the contract or no extra column is listed (the mart's
    column is then NULL). -#}
{% macro vendor_attributes_rows(system) -%}
    {%- set model = vendor_attributes_model(system) -%}
    {%- if model -%}
    select
        id,
        vendor_attributes
    from {{ ref(model) }}
    {%- else -%}
    select
        cast(null as {{ dbt.type_string() }}) as id,
        cast(null as {{ dbt.type_string() }}) as vendor_attributes
    from (select 1 as no_row) as nothing
    where 1 = 0
    {%- endif -%}
{%- endmacro %}

{#- The side model holding `vendor_attributes` for a system's conformed mart (system
    'ticketing' or 'crm'), or none when the system is read from the contract or no extra
    column of its vendor table is configured. -#}
{% macro vendor_attributes_model(system) -%}
    {%- set vendor = var(system ~ '_source', 'contract') -%}
    {%- for pair in vendor_extra_tables().keys() -%}
        {%- if pair[0] == vendor and vendor_extra_column_list(pair[0], pair[1]) | length > 0 -%}
            {{ return(vendor ~ '__extra_attributes') }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}

{#- A JSON object text {"column": "value", ...} of SQL text expressions (`columns`: column
    name -> expression), on every engine: values JSON-escaped (backslash, quote, newline,
    carriage return, tab; chr() so that no engine reads a backslash in a literal), NULL
    values as null. -#}
{% macro vendor_attributes_json(columns) -%}
    {%- set parts = ["'{'"] -%}
    {%- for name, expression in columns.items() -%}
        {%- set text = dbt.safe_cast(expression, dbt.type_string()) -%}
        {%- set escaped = 'replace(replace(replace(replace(replace(' ~ text
            ~ ', chr(92), ' ~ dbt.concat(['chr(92)', 'chr(92)']) ~ ')'
            ~ ', chr(34), ' ~ dbt.concat(['chr(92)', 'chr(34)']) ~ ')'
            ~ ', chr(10), ' ~ dbt.concat(['chr(92)', "'n'"]) ~ ')'
            ~ ', chr(13), ' ~ dbt.concat(['chr(92)', "'r'"]) ~ ')'
            ~ ', chr(9), ' ~ dbt.concat(['chr(92)', "'t'"]) ~ ')' -%}
        {%- do parts.append("'" ~ (',' if not loop.first else '') ~ '"' ~ name ~ '":' ~ "'") -%}
        {%- do parts.append('coalesce(' ~ dbt.concat(['chr(34)', escaped, 'chr(34)']) ~ ", 'null')") -%}
    {%- endfor -%}
    {%- do parts.append("'}'") -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}

{#- The whole SQL of a <vendor>__extra_attributes side model: one row per kept row of
    `rows_model` (the latest version per id), its `id_column` as id and the extra columns
    (`extra__<column>` in the rows model) as the JSON object text vendor_attributes. -#}
{% macro vendor_extra_attributes(vendor, vendor_table, rows_model, id_column, contract_table) -%}
{%- set columns = vendor_extra_column_list(vendor, vendor_table) -%}
{%- set pairs = {} -%}
{%- for column in columns -%}
    {%- do pairs.update({column: 'ranked.' ~ adapter.quote('extra__' ~ column)}) -%}
{%- endfor -%}
with

ranked as (
    select
        *,
        row_number() over (
            partition by {{ id_column }}
            order by _fivetran_synced desc
        ) as version_rank
    from {{ ref(rows_model) }}
    where exclusion_reason is null
        and {{ id_column }} is not null
)

select
    cast('{{ contract_table }}' as {{ dbt.type_string() }}) as contract_table,
    ranked.{{ id_column }} as id,
    {% if columns | length > 0 -%}
    {{ vendor_attributes_json(pairs) }}
    {%- else -%}
    cast(null as {{ dbt.type_string() }})
    {%- endif %} as vendor_attributes
from ranked
where ranked.version_rank = 1
{%- endmacro %}

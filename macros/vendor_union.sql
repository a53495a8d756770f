{#- The rows of one vendor table over every connector of the vendor (vendor_connectors),
    as `union all` of the listed columns plus `_connector` (the connector's name). With one
    connector it reads the dbt source `<vendor>.<table>` (lineage in the docs and Dagster);
    with several, each connector's schema. `optional_columns` may be missing from a
    connector's table: they come as text (NULL where missing; a column listed twice is read
    once), so that connectors of different versions union on every engine. With `optional_table`, a connector that does
    not land the table gives no rows (its columns typed text). -#}
{% macro vendor_union(vendor, table_name, columns, optional_columns=[], optional_table=false) -%}
    {%- set connectors = vendor_connectors(vendor) -%}
    {%- set listed = columns | map('lower') | list -%}
    {%- set optional = [] -%}
    {%- for column in optional_columns -%}
        {%- if column and column | lower not in listed -%}
            {%- do listed.append(column | lower) -%}
            {%- do optional.append(column) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for connector in connectors %}
        {%- set relation = vendor_relation(vendor, table_name, connector) -%}
        {%- set present = [] -%}
        {%- set landed = not optional_table or not execute
            or load_relation(relation) is not none -%}
        {%- if execute and landed and optional | length > 0 -%}
            {%- for column in adapter.get_columns_in_relation(relation) -%}
                {%- do present.append(column.name | lower) -%}
            {%- endfor -%}
        {%- endif %}
    select
        '{{ connector["name"] }}' as _connector,
        {%- for column in columns %}
        {% if landed -%}
            {{ adapter.quote(column) }}
        {%- else -%}
            cast(null as {{ dbt.type_string() }}) as {{ adapter.quote(column) }}
        {%- endif %},
        {%- endfor %}
        {%- for column in optional %}
        {% if column | lower in present -%}
            cast({{ adapter.quote(column) }} as {{ dbt.type_string() }})
                as {{ adapter.quote(column) }}
        {%- else -%}
            cast(null as {{ dbt.type_string() }}) as {{ adapter.quote(column) }}
        {%- endif %},
        {%- endfor %}
        1 as _vendor_row
    {% if landed -%}
    from {{ relation }}
    {%- else -%}
    where 1 = 0
    {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- The relation of a vendor table in one connector (vendor_connectors): the dbt source
    `<vendor>.<table>` when the vendor has one connector, else the connector's schema. -#}
{% macro vendor_relation(vendor, table_name, connector) -%}
    {%- if vendor_connectors(vendor) | length == 1 -%}
        {{ return(source(vendor, table_name)) }}
    {%- endif -%}
    {{ return(api.Relation.create(
        database=connector['database'] if target.type != 'spark' else none,
        schema=connector['schema'],
        identifier=table_name,
    )) }}
{%- endmacro %}

{#- The rows of one vendor table over every connector of the vendor (vendor_connectors),
    as `union all` of the listed columns plus `_connector` (the connector's name). With one
    connector it reads the dbt source `<vendor>.<table>` (lineage in the docs and Dagster);
    with several, each connector's schema. `optional_columns` may be missing from a
    connector's table: they are NULL there (text). -#}
{% macro vendor_union(vendor, table_name, columns, optional_columns=[]) -%}
    {%- set connectors = vendor_connectors(vendor) -%}
    {%- for connector in connectors %}
        {%- if connectors | length == 1 -%}
            {%- set relation = source(vendor, table_name) -%}
        {%- else -%}
            {%- set relation = api.Relation.create(
                database=connector['database'] if target.type != 'spark' else none,
                schema=connector['schema'],
                identifier=table_name,
            ) -%}
        {%- endif -%}
        {%- set present = [] -%}
        {%- if execute and optional_columns | length > 0 -%}
            {%- for column in adapter.get_columns_in_relation(relation) -%}
                {%- do present.append(column.name | lower) -%}
            {%- endfor -%}
        {%- endif %}
    select
        '{{ connector["name"] }}' as _connector,
        {%- for column in columns %}
        {{ adapter.quote(column) }},
        {%- endfor %}
        {%- for column in optional_columns %}
        {% if column | lower in present -%}
            {{ adapter.quote(column) }}
        {%- else -%}
            cast(null as {{ dbt.type_string() }}) as {{ adapter.quote(column) }}
        {%- endif %},
        {%- endfor %}
        1 as _vendor_row
    from {{ relation }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}

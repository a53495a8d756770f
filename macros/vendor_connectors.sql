{#- The connectors of a vendor: var `<vendor>_connectors` (a list of {name, database,
    schema}) or, when it is empty, one connector named after the vendor reading
    var `<vendor>_database` (default: the target's database) and `<vendor>_schema`. -#}
{% macro vendor_connectors(vendor) -%}
    {%- set listed = var(vendor ~ '_connectors', []) or [] -%}
    {%- if listed | length > 0 -%}
        {%- set connectors = [] -%}
        {%- for c in listed -%}
            {%- do connectors.append({
                'name': c['name'],
                'database': c.get('database') or var(vendor ~ '_database', none)
                    or target.database,
                'schema': c['schema'],
            }) -%}
        {%- endfor -%}
        {{ return(connectors) }}
    {%- else -%}
        {{ return([{
            'name': vendor,
            'database': var(vendor ~ '_database', none) or target.database,
            'schema': var(vendor ~ '_schema', none)
                or env_var('CXW_' ~ vendor | upper ~ '_SCHEMA', vendor),
        }]) }}
    {%- endif -%}
{%- endmacro %}

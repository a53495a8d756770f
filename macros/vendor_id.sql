{#- A vendor id as text; with several connectors of the vendor (vendor_connectors)
    prefixed `<connector>:` so ids of two instances cannot collide. `connector` is the
    expression holding the connector name (vendor_union's `_connector`); by default the
    `_connector` of the expression's own CTE (`comments.id` -> `comments._connector`). -#}
{% macro vendor_id(vendor, expression, connector=none) -%}
    {%- if connector is none -%}
        {%- set connector = (expression.rsplit('.', 1)[0] ~ '._connector')
            if '.' in expression else '_connector' -%}
    {%- endif -%}
    {%- if vendor_connectors(vendor) | length > 1 -%}
        case
            when {{ expression }} is not null
                then {{ dbt.concat([connector, "':'", dbt.safe_cast(expression, dbt.type_string())]) }}
        end
    {%- else -%}
        {{ dbt.safe_cast(expression, dbt.type_string()) }}
    {%- endif -%}
{%- endmacro %}

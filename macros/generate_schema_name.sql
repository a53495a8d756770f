{#- Custom schemas are used as named (staging, marts, reference, ...), not prefixed with the
    target schema: BI tools and reports find the marts at a stable name on every engine. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

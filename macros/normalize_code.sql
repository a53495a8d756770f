{#- A code compared trimmed and lower-cased (channel codes, categories, enums); blank -> NULL. -#}
{% macro normalize_code(expression) -%}
    nullif(lower(trim({{ expression }})), '')
{%- endmacro %}

{#- A vendor boolean (typed or text) as true/false/NULL, whatever the engine lands. -#}
{% macro vendor_boolean(expression) -%}
    {{ try_cast_boolean(dbt.safe_cast(expression, dbt.type_string())) }}
{%- endmacro %}

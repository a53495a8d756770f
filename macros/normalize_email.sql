{#- The identity that joins the systems: an email trimmed and lower-cased; blank -> NULL. -#}
{% macro normalize_email(expression) -%}
    nullif(lower(trim({{ expression }})), '')
{%- endmacro %}

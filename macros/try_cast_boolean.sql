{#- Parse boolean text: true/false, t/f, yes/no, 1/0 (any case, surrounding spaces);
    NULL for anything else. Plain CASE, so it is the same on every engine. -#}
{% macro try_cast_boolean(expression) -%}
    case
        when lower(trim({{ expression }})) in ('true', 't', 'yes', 'y', '1') then true
        when lower(trim({{ expression }})) in ('false', 'f', 'no', 'n', '0') then false
    end
{%- endmacro %}

{#- A vendor timestamp (typed, as Fivetran lands it, or ISO text) as the raw contract's
    text: every engine writes a timestamp as `YYYY-MM-DD hh:mm:ss[.ffffff][+hh]`, which
    try_cast_timestamp reads back (UTC). -#}
{% macro vendor_timestamp(expression) -%}
    cast({{ expression }} as {{ dbt.type_string() }})
{%- endmacro %}

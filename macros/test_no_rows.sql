{#- Generic test: the model has no rows; every row is a finding (used with severity warn
    on data-quality marts that list what needs a look, e.g. unmapped_vendor_values). -#}
{% test no_rows(model) -%}
    select * from {{ model }}
{%- endtest %}

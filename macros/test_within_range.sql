{#- Generic test: every non-null value of the column lies in [min_value, max_value] (either
    bound may be omitted). Returns the rows outside; fails when any is returned. -#}
{% test within_range(model, column_name, min_value=none, max_value=none) -%}

with

outside as (
    select {{ column_name }} as value
    from {{ model }}
    where {{ column_name }} is not null
        and (
            {%- if min_value is not none %} {{ column_name }} < {{ min_value }}{% else %} 1 = 0{% endif %}
            {%- if max_value is not none %} or {{ column_name }} > {{ max_value }}{% endif %}
        )
)

select * from outside

{%- endtest %}

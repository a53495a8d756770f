{#- Fails for every combination of `columns` that occurs more than once in the model:
    the uniqueness test of a composite key (like dbt_utils' unique_combination_of_columns,
    which we do not install). Rows where a key column is null are grouped like any other
    value; pair it with not_null on each key column. Plain GROUP BY, the same on every
    engine. -#}
{% test unique_combination(model, columns) %}

with

combinations as (
    select
        {% for column in columns -%}
            {{ column }},
        {% endfor -%}
        count(*) as occurrences
    from {{ model }}
    group by
        {% for column in columns -%}
            {{ column }}{{ "," if not loop.last }}
        {% endfor %}
)

select *
from combinations
where occurrences > 1

{% endtest %}

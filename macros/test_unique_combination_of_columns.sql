{#- Generic test: no two rows share the values of the given columns (a composite key).
    NULLs compare equal here, so a NULL in a key column cannot hide a duplicate. -#}
{% test unique_combination_of_columns(model, combination_of_columns) -%}
    {%- set key_columns = combination_of_columns | join(', ') -%}

with

keyed as (
    select
        {{ key_columns }},
        count(*) as occurrences
    from {{ model }}
    group by {{ key_columns }}
),

duplicated as (
    select
        keyed.*
    from keyed
    where keyed.occurrences > 1
)

select * from duplicated
{%- endtest %}

{#- The journey a touchpoint event belongs to, as one text key: the account's
    (`account:<account_id>`); for an event without an account (an unmatched person's
    ticket or response), the person's own (`person:<person_id>`); `none` when neither is
    known. Distinct journeys always get distinct keys. Arguments are SQL expressions. -#}
{% macro touchpoint_journey_key(account_id, person_id) -%}
    coalesce(
        {{ dbt.concat(["'account:'", account_id]) }},
        {{ dbt.concat(["'person:'", person_id]) }},
        'none'
    )
{%- endmacro %}

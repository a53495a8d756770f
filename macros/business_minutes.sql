{#- Business minutes of a ticket's time on its schedule: the business seconds counted
    (none counted = 0) in minutes, NULL when the ticket has no schedule. -#}
{% macro business_minutes(schedule_id, business_seconds) -%}
    case
        when {{ schedule_id }} is not null
            then cast(coalesce({{ business_seconds }}, 0) as {{ type_double() }}) / 60
    end
{%- endmacro %}

{#- Status of one ticket against one service-level target (first reply or resolution):
    `met` when the actual time is known and within the target (<=), `missed` when it is
    known and over it, or still unknown while the time open so far already exceeds the
    target; `pending` while unknown and still within the target. The three arguments are
    SQL expressions in the same unit (minutes or hours). -#}
{% macro service_level_status(actual, elapsed, target) -%}
    case
        when {{ actual }} is not null and {{ actual }} <= {{ target }} then 'met'
        when {{ actual }} is not null then 'missed'
        when {{ elapsed }} > {{ target }} then 'missed'
        else 'pending'
    end
{%- endmacro %}

{#- Status of one ticket against a whole service standard (first reply and resolution):
    `met` when both are met, `missed` when either is missed, `pending` otherwise. The
    arguments are SQL expressions holding service_level_status values. -#}
{% macro service_standard_status(first_reply_status, resolution_status) -%}
    case
        when {{ first_reply_status }} = 'met'
            and {{ resolution_status }} = 'met'
            then 'met'
        when {{ first_reply_status }} = 'missed'
            or {{ resolution_status }} = 'missed'
            then 'missed'
        else 'pending'
    end
{%- endmacro %}

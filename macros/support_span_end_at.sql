{#- The end of a ticket metric's span as it is counted (columns span_start_at,
    span_end_at of the relation or CTE `spans`): its end; a running span (end null) to
    `as_of_end_at`, the end of the as-of date; an end before the start (an event stamped
    before the ticket), or an as-of date before the start, counts nothing (the start).
    -#}
{% macro support_span_end_at(spans, as_of_end_at) -%}
    case
        when {{ spans }}.span_end_at is not null
            and {{ spans }}.span_end_at > {{ spans }}.span_start_at
            then {{ spans }}.span_end_at
        when {{ spans }}.span_end_at is not null then {{ spans }}.span_start_at
        when {{ as_of_end_at }} > {{ spans }}.span_start_at then {{ as_of_end_at }}
        else {{ spans }}.span_start_at
    end
{%- endmacro %}

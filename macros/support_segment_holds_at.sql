{#- Whether a status segment (columns segment_start_at, segment_end_at of the relation
    or CTE `segments`; segment_end_at NULL for the current status) holds at the instant
    `instant`: it started before it and ended at or after it. How the backlog is counted
    at the end of a month (the team performance marts); ticket_backlog_daily applies the
    same rule to every day's end as a range of days per segment. -#}
{% macro support_segment_holds_at(segments, instant) -%}
    {{ segments }}.segment_start_at < {{ instant }}
            and (
                {{ segments }}.segment_end_at is null
                or {{ segments }}.segment_end_at >= {{ instant }}
            )
{%- endmacro %}

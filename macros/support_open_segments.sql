{#- The stretches of time each ticket spent in an open status (one row per ticket and
    status segment; see support_open_statuses), from int_ticket_status_segments: the
    backlog that ticket_backlog_daily counts per day and the team performance marts count
    at the as-of date. -#}
{% macro support_open_segments() -%}
    select
        ticket_id,
        status,
        segment_start_at,
        segment_end_at
    from {{ ref('int_ticket_status_segments') }}
    where status in {{ support_open_statuses() }}
{%- endmacro %}

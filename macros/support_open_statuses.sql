{#- The statuses of an open ticket (in the backlog): new, open, pending, on_hold, as a
    parenthesised SQL list for `status in {{ support_open_statuses() }}`. The one place
    the support-operations models and tests take it from. -#}
{% macro support_open_statuses() -%}
    ('new', 'open', 'pending', 'on_hold')
{%- endmacro %}

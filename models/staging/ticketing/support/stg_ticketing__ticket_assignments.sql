-- a table, not a view: a view over a raw table would stop the loaders replacing it
{{ config(materialized='table') }}
-- One row per valid ticket: the optional routing columns of the tickets file
-- (assignee_id, group_id, schedule_id; pseudonymous ids), null when the file does not
-- have them.
{#- the raw rows as base_ticketing__tickets reads them: the contract's raw table, or the
    vendor adapter's model when var ticketing_source names a vendor -#}
{%- if var('ticketing_source') == 'contract' -%}
{%- set raw = source('ticketing', 'tickets') -%}
{%- else -%}
{%- set raw = ref(var('ticketing_source') ~ '__tickets') -%}
{%- endif %}
with

source as (
    select
        source._batch_id,
        source._source_row,
        {{ optional_column(raw, 'assignee_id', 'source') }}
            as assignee_id,
        {{ optional_column(raw, 'group_id', 'source') }}
            as group_id,
        {{ optional_column(raw, 'schedule_id', 'source') }}
            as schedule_id
    from {{ raw }} as source
),

tickets as (
    select
        ticket_id,
        priority,
        _batch_id,
        _source_row
    from {{ ref('stg_ticketing__tickets') }}
),

final as (
    select
        tickets.ticket_id,
        tickets.priority,
        nullif(trim(source.assignee_id), '') as assignee_id,
        nullif(trim(source.group_id), '') as group_id,
        nullif(trim(source.schedule_id), '') as schedule_id
    from tickets
    inner join source
        on tickets._batch_id = source._batch_id
            and tickets._source_row = source._source_row
)

select * from final

-- a table, not a view: a view over a raw table would stop the loaders replacing it
{{ config(materialized='table') }}
-- One row per valid ticket event: the optional columns of the events file (author_id,
-- pseudonymous; new_status, the status a status_change sets), null when absent.
{#- the raw rows as base_ticketing__ticket_events reads them: the contract's raw table,
    or the vendor adapter's model when var ticketing_source names a vendor -#}
{%- if var('ticketing_source') == 'contract' -%}
{%- set raw = source('ticketing', 'ticket_events') -%}
{%- else -%}
{%- set raw = ref(var('ticketing_source') ~ '__ticket_events') -%}
{%- endif %}
with

source as (
    select
        source._batch_id,
        source._source_row,
        {{ optional_column(raw, 'author_id', 'source') }}
            as author_id,
        {{ optional_column(raw, 'new_status', 'source') }}
            as new_status
    from {{ raw }} as source
),

ticket_events as (
    select
        event_id,
        ticket_id,
        event_type,
        author_role,
        created_at,
        _batch_id,
        _source_row
    from {{ ref('stg_ticketing__ticket_events') }}
),

final as (
    select
        ticket_events.event_id,
        ticket_events.ticket_id,
        ticket_events.event_type,
        ticket_events.author_role,
        ticket_events.created_at,
        nullif(trim(source.author_id), '') as author_id,
        -- 'hold' is taken as 'on_hold'
        case
            when {{ normalize_code('source.new_status') }} = 'hold' then 'on_hold'
            else {{ normalize_code('source.new_status') }}
        end as new_status
    from ticket_events
    inner join source
        on ticket_events._batch_id = source._batch_id
            and ticket_events._source_row = source._source_row
)

select * from final

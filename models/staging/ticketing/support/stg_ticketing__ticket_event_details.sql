-- a table, not a view: a view over a raw table would stop the loaders replacing it
{{ config(materialized='table') }}
-- One row per valid ticket event: the optional columns of the events file (author_id,
-- pseudonymous; new_status, the status a status_change sets), null when absent.
with

-- the optional columns, from the rows base_ticketing__ticket_events reads (the
-- contract's raw table or the vendor adapter's model)
source as (
    {{ ticketing_optional_columns('ticket_events', ['author_id', 'new_status']) }}
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

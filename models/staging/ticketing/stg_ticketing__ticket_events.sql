with

ticket_events as (
    select
        event_id,
        ticket_id,
        event_type,
        author_role,
        channel_code,
        channel,
        created_at,
        _source_row,
        _batch_id
    from {{ ref('base_ticketing__ticket_events') }}
    where quarantine_reason is null
)

select * from ticket_events

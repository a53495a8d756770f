with

tickets as (
    select
        ticket_id,
        requester_email,
        channel_code,
        channel,
        category,
        root_cause,
        priority,
        status,
        created_at,
        solved_at,
        _source_row,
        _batch_id
    from {{ ref('base_ticketing__tickets') }}
    where quarantine_reason is null
)

select * from tickets

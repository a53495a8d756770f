-- Conservation of tickets in time in status (issue 16): once ticket_status_durations
-- has rows, every valid ticket has exactly one current status there, and no other
-- ticket is there. Returns the tickets that break this.
with

durations as (
    select
        ticket_id,
        sum(case when is_current then 1 else 0 end) as current_statuses
    from {{ ref('ticket_status_durations') }}
    group by ticket_id
),

tickets as (
    select ticket_id from {{ ref('stg_ticketing__tickets') }}
    where exists (select 1 from durations)
),

broken as (
    select
        coalesce(tickets.ticket_id, durations.ticket_id) as ticket_id,
        coalesce(durations.current_statuses, 0) as current_statuses
    from tickets
    full outer join durations
        on tickets.ticket_id = durations.ticket_id
    where tickets.ticket_id is null
        or durations.ticket_id is null
        or durations.current_statuses <> 1
)

select * from broken

-- One row per valid ticket event: the optional columns of the events file (author_id,
-- pseudonymous; new_status, the status a status_change sets), null when absent. Both
-- are typed in base_ticketing__ticket_events (from the contract's raw table or the
-- vendor adapter's model); a view over its valid rows, as stg_ticketing__ticket_events.
with

ticket_events as (
    select
        event_id,
        ticket_id,
        event_type,
        author_role,
        created_at,
        author_id,
        new_status
    from {{ ref('base_ticketing__ticket_events') }}
    where quarantine_reason is null
)

select * from ticket_events

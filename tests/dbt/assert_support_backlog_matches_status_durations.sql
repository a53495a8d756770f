-- The daily backlog and time in status agree (issue 16): on the as-of date, the open
-- tickets of ticket_backlog_daily per status equal the tickets whose current status in
-- ticket_status_durations is that open status (when no event is later than the as-of
-- date); no day has a negative or empty count. Returns the statuses that disagree.
with

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
    where latest_event_at < as_of_end_at
),

backlog as (
    select
        backlog.status,
        sum(backlog.open_tickets) as open_tickets
    from {{ ref('ticket_backlog_daily') }} as backlog
    inner join as_of
        on backlog.backlog_date = as_of.as_of_date
    group by backlog.status
),

current_statuses as (
    select
        status,
        count(*) as open_tickets
    from {{ ref('ticket_status_durations') }}
    where is_current
        and status in {{ support_open_statuses() }}
    group by status
),

disagreeing as (
    select
        coalesce(backlog.status, current_statuses.status) as status,
        coalesce(backlog.open_tickets, 0) as backlog_tickets,
        coalesce(current_statuses.open_tickets, 0) as current_tickets
    from backlog
    full outer join current_statuses
        on backlog.status = current_statuses.status
    where exists (select 1 from as_of)
        and coalesce(backlog.open_tickets, 0)
        <> coalesce(current_statuses.open_tickets, 0)
),

negative_days as (
    select
        status,
        open_tickets as backlog_tickets,
        0 as current_tickets
    from {{ ref('ticket_backlog_daily') }}
    where open_tickets <= 0
)

select * from disagreeing
union all
select * from negative_days

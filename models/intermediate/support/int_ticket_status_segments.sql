-- One row per ticket and status segment (grain: ticket_id, segment_number): the status
-- timeline of every valid ticket, from 'new' at creation through each change
-- (status_change events set new_status, solved events set solved, reopened events set
-- open; a solved or closed ticket without a solved change is solved at its solved_at).
-- segment_end_at is null for the current status. A status replaced at the same instant
-- ran no time and is left out. Zero rows unless the events carry the optional
-- new_status column (time in status and the backlog need it).
with

all_events as (
    select
        event_id,
        ticket_id,
        event_type,
        new_status,
        created_at
    from {{ ref('stg_ticketing__ticket_event_details') }}
),

tickets as (
    select
        ticket_id,
        status,
        created_at,
        solved_at
    from {{ ref('stg_ticketing__tickets') }}
    where exists (
            select 1 from all_events
            where all_events.new_status is not null
        )
),

event_changes as (
    select
        all_events.ticket_id,
        all_events.created_at as changed_at,
        1 as change_order,
        all_events.event_id as change_id,
        case
            when all_events.event_type = 'status_change' then all_events.new_status
            when all_events.event_type = 'solved' then 'solved'
            else 'open'
        end as status
    from all_events
    inner join tickets
        on all_events.ticket_id = tickets.ticket_id
    where all_events.event_type in ('solved', 'reopened')
        or (
            all_events.event_type = 'status_change'
            and all_events.new_status is not null
        )
),

-- a solved ticket whose events never say so is solved at its solved_at
implied_solves as (
    select
        tickets.ticket_id,
        tickets.solved_at as changed_at,
        2 as change_order,
        '' as change_id,
        'solved' as status
    from tickets
    where tickets.status in ('solved', 'closed')
        and tickets.solved_at is not null
        and not exists (
            select 1 from event_changes
            where event_changes.ticket_id = tickets.ticket_id
                and event_changes.status in ('solved', 'closed')
        )
),

creations as (
    select
        ticket_id,
        created_at as changed_at,
        0 as change_order,
        '' as change_id,
        'new' as status
    from tickets
),

timeline as (
    select * from creations
    union all
    select * from event_changes
    union all
    select * from implied_solves
),

-- a status replaced at the same instant ran no time and is left out: of the changes at
-- one instant only the last (in change order) is kept, so the segments kept are one per
-- distinct instant of the timeline, numbered by a dense rank of the instants (one sort)
ordered as (
    select
        ticket_id,
        status,
        changed_at as segment_start_at,
        lead(changed_at) over (
            partition by ticket_id order by changed_at, change_order, change_id
        ) as segment_end_at,
        dense_rank() over (
            partition by ticket_id order by changed_at
        ) as instant_number
    from timeline
),

final as (
    select
        ticket_id,
        cast(instant_number as integer) as segment_number,
        status,
        segment_start_at,
        segment_end_at
    from ordered
    where segment_end_at is null
        or segment_end_at > segment_start_at
)

select * from final

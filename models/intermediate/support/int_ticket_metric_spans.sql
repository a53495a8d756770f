-- One row per ticket, metric, cycle and span of calendar time the metric runs (grain:
-- ticket_id, metric, cycle, span_start_at). span_end_at is null while the span is still
-- running. Metrics: first_reply (creation to the first agent public reply), next_reply
-- (each customer public reply that follows an agent public reply, to the next agent
-- public reply; one cycle each), requester_wait (time in new, open, on_hold),
-- agent_work (time in new, open), resolution (creation to solved_at of a solved
-- ticket). The two status metrics need the optional new_status column and are left out
-- for a ticket without a status change. Only tickets on a schedule, or every ticket
-- when SLA policies were delivered: zero rows when neither optional table is present.
with

policies as (
    select policy_id from {{ ref('stg_ticketing__sla_policies') }}
),

assignments as (
    select
        ticket_id,
        schedule_id
    from {{ ref('stg_ticketing__ticket_assignments') }}
),

all_tickets as (
    select
        ticket_id,
        status,
        created_at,
        solved_at
    from {{ ref('stg_ticketing__tickets') }}
),

tickets as (
    select
        all_tickets.ticket_id,
        all_tickets.status,
        all_tickets.created_at,
        all_tickets.solved_at
    from all_tickets
    inner join assignments
        on all_tickets.ticket_id = assignments.ticket_id
    where assignments.schedule_id is not null
        or exists (select 1 from policies)
),

events as (
    select
        details.ticket_id,
        details.event_id,
        details.event_type,
        details.author_role,
        details.new_status,
        details.created_at
    from {{ ref('stg_ticketing__ticket_event_details') }} as details
    inner join tickets
        on details.ticket_id = tickets.ticket_id
),

-- first_reply and resolution: one span each
first_replies as (
    select
        events.ticket_id,
        min(events.created_at) as first_reply_at
    from events
    where events.event_type = 'public_reply'
        and events.author_role = 'agent'
    group by events.ticket_id
),

first_reply_spans as (
    select
        tickets.ticket_id,
        'first_reply' as metric,
        1 as cycle,
        tickets.created_at as span_start_at,
        first_replies.first_reply_at as span_end_at,
        first_replies.first_reply_at is not null as is_complete
    from tickets
    left join first_replies
        on tickets.ticket_id = first_replies.ticket_id
),

resolution_spans as (
    select
        tickets.ticket_id,
        'resolution' as metric,
        1 as cycle,
        tickets.created_at as span_start_at,
        case when tickets.status in ('solved', 'closed') then tickets.solved_at end
            as span_end_at,
        tickets.status in ('solved', 'closed') and tickets.solved_at is not null
            as is_complete
    from tickets
),

-- next_reply: public replies in order; a customer reply right after an agent reply
-- opens a cycle, the next agent reply closes it
public_replies as (
    select
        events.ticket_id,
        events.event_id,
        events.author_role,
        events.created_at,
        lag(events.author_role) over (
            partition by events.ticket_id
            order by events.created_at, events.event_id
        ) as previous_author_role,
        min(case when events.author_role = 'agent' then events.created_at end) over (
            partition by events.ticket_id
            order by events.created_at, events.event_id
            rows between 1 following and unbounded following
        ) as next_agent_reply_at
    from events
    where events.event_type = 'public_reply'
        and events.author_role in ('agent', 'customer')
),

next_reply_spans as (
    select
        ticket_id,
        'next_reply' as metric,
        cast(row_number() over (
            partition by ticket_id order by created_at, event_id
        ) as integer) as cycle,
        created_at as span_start_at,
        next_agent_reply_at as span_end_at,
        next_agent_reply_at is not null as is_complete
    from public_replies
    where author_role = 'customer'
        and previous_author_role = 'agent'
),

-- status metrics: the status timeline from creation (new) through each change, for a
-- ticket with a status change. int_ticket_status_segments has that timeline, with one
-- difference: a solved ticket whose events never say so gets a solve at its solved_at
-- there and not here. So a ticket's segments are read from it unless it has such an
-- implied solve; those tickets (rare) build their own timeline below.
ticket_changes as (
    select
        events.ticket_id,
        max(
            case
                when events.event_type = 'status_change'
                    and events.new_status is not null
                    then 1
                else 0
            end
        ) as has_status_change,
        max(
            case
                when events.event_type = 'solved' then 1
                when events.event_type = 'status_change'
                    and events.new_status in ('solved', 'closed')
                    then 1
                else 0
            end
        ) as has_solve_change
    from events
    group by events.ticket_id
),

status_tickets as (
    select
        tickets.ticket_id,
        coalesce(
            tickets.status in ('solved', 'closed')
            and tickets.solved_at is not null
            and ticket_changes.has_solve_change = 0,
            false
        ) as has_implied_solve
    from tickets
    inner join ticket_changes
        on tickets.ticket_id = ticket_changes.ticket_id
    where ticket_changes.has_status_change = 1
),

-- the segments of int_ticket_status_segments (zero-length ones already left out); the
-- current one (no end) holds the last status
stored_all as (
    select
        segments.ticket_id,
        segments.status,
        segments.segment_start_at,
        segments.segment_end_at
    from {{ ref('int_ticket_status_segments') }} as segments
    inner join status_tickets
        on segments.ticket_id = status_tickets.ticket_id
    where not status_tickets.has_implied_solve
),

stored_last as (
    select
        ticket_id,
        status as last_status
    from stored_all
    where segment_end_at is null
),

stored_segments as (
    select
        stored_all.ticket_id,
        stored_all.status,
        stored_all.segment_start_at,
        stored_all.segment_end_at,
        stored_last.last_status
    from stored_all
    left join stored_last
        on stored_all.ticket_id = stored_last.ticket_id
),

-- the tickets with an implied solve: their timeline without it
status_changes as (
    select
        events.ticket_id,
        events.created_at as changed_at,
        events.event_id as change_id,
        case
            when events.event_type = 'status_change' then events.new_status
            when events.event_type = 'solved' then 'solved'
            when events.event_type = 'reopened' then 'open'
        end as status
    from events
    inner join status_tickets
        on events.ticket_id = status_tickets.ticket_id
    where status_tickets.has_implied_solve
        and (
            (events.event_type = 'status_change' and events.new_status is not null)
            or events.event_type in ('solved', 'reopened')
        )
),

timeline as (
    select
        tickets.ticket_id,
        tickets.created_at as changed_at,
        '' as change_id,
        'new' as status
    from tickets
    inner join status_tickets
        on tickets.ticket_id = status_tickets.ticket_id
    where status_tickets.has_implied_solve
    union all
    select
        ticket_id,
        changed_at,
        change_id,
        status
    from status_changes
),

ordered as (
    select
        ticket_id,
        status,
        changed_at as segment_start_at,
        lead(changed_at) over (
            partition by ticket_id order by changed_at, change_id
        ) as segment_end_at,
        last_value(status) over (
            partition by ticket_id order by changed_at, change_id
            rows between unbounded preceding and unbounded following
        ) as last_status
    from timeline
),

-- a status replaced at the same instant ran no time
segments as (
    select
        ticket_id,
        status,
        segment_start_at,
        segment_end_at,
        last_status
    from stored_segments
    union all
    select
        ticket_id,
        status,
        segment_start_at,
        segment_end_at,
        last_status
    from ordered
    where segment_end_at is null
        or segment_end_at > segment_start_at
),

-- the two metrics that run in a status
status_metrics as (
    select 'requester_wait' as metric
    union all
    select 'agent_work' as metric
),

status_spans as (
    select
        segments.ticket_id,
        metrics.metric,
        1 as cycle,
        segments.segment_start_at as span_start_at,
        segments.segment_end_at as span_end_at,
        segments.last_status in ('solved', 'closed') as is_complete
    from segments
    inner join status_metrics as metrics
        on segments.status in ('new', 'open')
            or (metrics.metric = 'requester_wait' and segments.status = 'on_hold')
),

final as (
    select * from first_reply_spans
    union all
    select * from resolution_spans
    union all
    select * from next_reply_spans
    union all
    select * from status_spans
)

select * from final

-- One row per ticket: how it was handled, from its events. First reply = the first
-- public_reply by an agent; resolution = creation to solved_at, for solved tickets only
-- (status solved or closed); one-touch = solved with exactly one agent public reply;
-- reopened = the ticket has a reopened event.
with

tickets as (
    select
        ticket_id,
        status,
        created_at,
        solved_at
    from {{ ref('stg_ticketing__tickets') }}
),

ticket_events as (
    select
        ticket_id,
        event_type,
        author_role,
        created_at
    from {{ ref('stg_ticketing__ticket_events') }}
),

event_summary as (
    select
        ticket_events.ticket_id,
        min(
            case
                when ticket_events.event_type = 'public_reply'
                    and ticket_events.author_role = 'agent'
                    then ticket_events.created_at
            end
        ) as first_reply_at,
        sum(
            case
                when ticket_events.event_type = 'public_reply'
                    and ticket_events.author_role = 'agent'
                    then 1
                else 0
            end
        ) as agent_public_replies,
        sum(
            case when ticket_events.event_type = 'reopened' then 1 else 0 end
        ) as reopened_events
    from ticket_events
    group by ticket_events.ticket_id
),

joined as (
    select
        tickets.ticket_id,
        tickets.created_at,
        tickets.solved_at,
        tickets.status in ('solved', 'closed') as is_solved,
        coalesce(event_summary.reopened_events, 0) > 0 as is_reopened,
        event_summary.first_reply_at,
        cast(coalesce(event_summary.agent_public_replies, 0) as bigint)
            as agent_public_replies
    from tickets
    left join event_summary
        on tickets.ticket_id = event_summary.ticket_id
),

timed as (
    select
        joined.ticket_id,
        joined.is_solved,
        joined.is_reopened,
        joined.first_reply_at,
        case
            when joined.first_reply_at is not null
                then cast(
                    {{ dbt.datediff(
                        'joined.created_at', 'joined.first_reply_at', 'second'
                    ) }}
                        as {{ type_double() }}
                    ) / 60
        end as first_reply_minutes,
        case
            when joined.is_solved and joined.solved_at is not null
                then cast(
                    {{ dbt.datediff(
                        'joined.created_at', 'joined.solved_at', 'second'
                    ) }}
                        as {{ type_double() }}
                    ) / 3600
        end as resolution_hours,
        joined.agent_public_replies,
        joined.is_solved and joined.agent_public_replies = 1 as is_one_touch
    from joined
)

select * from timed

-- One row per valid ticket with an agent or a group (grain: ticket_id): its assignee
-- and group (pseudonymous ids), the month it was solved, one-touch and reopen flags
-- (as in the tickets mart), the handoffs between agents and how many changed the home
-- group (int_ticket_handoffs), whether it closed its repeat-contact episode and
-- whether that episode was a first-contact resolution. Zero rows without the optional
-- assignee_id and group_id columns.
with

assignments as (
    select
        ticket_id,
        assignee_id,
        group_id
    from {{ ref('stg_ticketing__ticket_assignments') }}
    where assignee_id is not null
        or group_id is not null
),

tickets as (
    select
        ticket_id,
        is_solved,
        solved_at,
        is_one_touch,
        is_reopened,
        episode_id,
        episode_ticket_number
    from {{ ref('tickets') }}
),

episodes as (
    select
        episode_id,
        tickets,
        is_solved,
        is_fcr,
        ended_at
    from {{ ref('contact_episodes') }}
),

handoffs as (
    select
        ticket_id,
        count(*) as handoffs,
        sum(case when is_group_change then 1 else 0 end) as group_handoffs
    from {{ ref('int_ticket_handoffs') }}
    group by ticket_id
),

final as (
    select
        assignments.ticket_id,
        assignments.assignee_id,
        assignments.group_id,
        tickets.is_solved,
        case
            when tickets.is_solved
                then cast({{ dbt.date_trunc('month', 'tickets.solved_at') }} as date)
        end as solved_month,
        coalesce(tickets.is_one_touch, false) as is_one_touch,
        tickets.is_reopened,
        cast(coalesce(handoffs.handoffs, 0) as integer) as handoffs,
        cast(coalesce(handoffs.group_handoffs, 0) as integer) as group_handoffs,
        -- the last ticket of a solved episode closed it
        coalesce(
            episodes.is_solved and tickets.episode_ticket_number = episodes.tickets,
            false
        ) as closed_episode,
        case
            when episodes.is_solved and tickets.episode_ticket_number = episodes.tickets
                then cast({{ dbt.date_trunc('month', 'episodes.ended_at') }} as date)
        end as episode_closed_month,
        coalesce(episodes.is_fcr, false) as is_fcr_episode
    from assignments
    inner join tickets
        on assignments.ticket_id = tickets.ticket_id
    left join episodes
        on tickets.episode_id = episodes.episode_id
    left join handoffs
        on assignments.ticket_id = handoffs.ticket_id
)

select * from final

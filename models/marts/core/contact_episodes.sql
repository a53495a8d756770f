with

tickets as (
    select
        ticket_id,
        solved_at
    from {{ ref('stg_ticketing__tickets') }}
),

ticket_episodes as (
    select
        ticket_id,
        person_id,
        account_id,
        category,
        created_at,
        episode_id,
        first_ticket_id,
        episode_tickets,
        is_last_in_episode,
        is_mature
    from {{ ref('int_tickets_grouped_into_episodes') }}
),

ticket_timings as (
    select
        ticket_id,
        is_solved,
        is_reopened
    from {{ ref('int_ticket_timings') }}
),

ticket_category_touchpoints as (
    select
        category,
        touchpoint_code
    from {{ ref('ticket_category_touchpoints') }}
),

episode_tickets as (
    select
        ticket_episodes.episode_id,
        ticket_episodes.person_id,
        ticket_episodes.account_id,
        ticket_episodes.category,
        ticket_episodes.first_ticket_id,
        ticket_episodes.created_at,
        ticket_episodes.is_last_in_episode,
        ticket_episodes.is_mature,
        ticket_timings.is_solved,
        ticket_timings.is_reopened,
        tickets.solved_at
    from ticket_episodes
    inner join ticket_timings
        on ticket_episodes.ticket_id = ticket_timings.ticket_id
    inner join tickets
        on ticket_episodes.ticket_id = tickets.ticket_id
),

episodes as (
    select
        episode_tickets.episode_id,
        episode_tickets.person_id,
        episode_tickets.account_id,
        episode_tickets.category,
        episode_tickets.first_ticket_id,
        min(episode_tickets.created_at) as started_at,
        max(episode_tickets.created_at) as last_contact_at,
        count(*) as tickets,
        -- an episode is solved (and mature) when its last ticket is
        max(
            case
                when episode_tickets.is_last_in_episode and episode_tickets.is_solved
                    then 1
                else 0
            end
        ) = 1 as is_solved,
        max(
            case
                when episode_tickets.is_last_in_episode and episode_tickets.is_solved
                    then episode_tickets.solved_at
            end
        ) as ended_at,
        max(case when episode_tickets.is_reopened then 1 else 0 end) = 1 as is_reopened,
        max(
            case
                when episode_tickets.is_last_in_episode and episode_tickets.is_mature
                    then 1
                else 0
            end
        ) = 1 as is_mature
    from episode_tickets
    group by
        episode_tickets.episode_id,
        episode_tickets.person_id,
        episode_tickets.account_id,
        episode_tickets.category,
        episode_tickets.first_ticket_id
),

final as (
    select
        episodes.episode_id,
        episodes.person_id,
        episodes.account_id,
        episodes.category,
        ticket_category_touchpoints.touchpoint_code,
        episodes.first_ticket_id,
        episodes.started_at,
        episodes.last_contact_at,
        episodes.ended_at,
        cast(episodes.tickets as bigint) as tickets,
        episodes.is_solved,
        episodes.is_reopened,
        episodes.tickets = 1
        and not episodes.is_reopened
        and episodes.is_solved as is_fcr,
        episodes.tickets >= {{ var('at_risk_contacts') | int }} as is_at_risk,
        episodes.is_mature
    from episodes
    left join ticket_category_touchpoints
        on episodes.category = ticket_category_touchpoints.category
)

select * from final

-- repeat_contact_metrics takes an episode's channel, tier and as-of bound from its
-- first ticket in ticket_service_levels. That holds because an episode starts when its
-- first ticket is created and belongs to that ticket's account. Returns the episodes
-- for which either is not so (or whose first ticket is missing).
with

contact_episodes as (
    select
        episode_id,
        account_id,
        first_ticket_id,
        started_at
    from {{ ref('contact_episodes') }}
),

tickets as (
    select
        ticket_id,
        account_id,
        created_at
    from {{ ref('tickets') }}
),

not_like_first_ticket as (
    select
        contact_episodes.episode_id,
        contact_episodes.first_ticket_id
    from contact_episodes
    left join tickets
        on contact_episodes.first_ticket_id = tickets.ticket_id
    where tickets.ticket_id is null
        or tickets.created_at <> contact_episodes.started_at
        or (tickets.account_id is null) <> (contact_episodes.account_id is null)
        or tickets.account_id <> contact_episodes.account_id
)

select * from not_like_first_ticket

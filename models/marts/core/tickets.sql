with

tickets as (
    select
        ticket_id,
        channel,
        category,
        root_cause,
        priority,
        status,
        created_at,
        solved_at
    from {{ ref('stg_ticketing__tickets') }}
),

ticket_episodes as (
    select
        ticket_id,
        person_id,
        account_id,
        episode_id,
        episode_ticket_number,
        is_repeat_contact,
        is_mature
    from {{ ref('int_tickets_grouped_into_episodes') }}
),

ticket_timings as (
    select
        ticket_id,
        is_solved,
        is_reopened,
        first_reply_at,
        first_reply_minutes,
        resolution_hours,
        agent_public_replies,
        is_one_touch
    from {{ ref('int_ticket_timings') }}
),

ticket_category_touchpoints as (
    select
        category,
        touchpoint_code
    from {{ ref('ticket_category_touchpoints') }}
),

vendor_attributes as (
    -- the vendor's extra columns (docs/sources.md): no rows unless configured
    {{ vendor_attributes_rows('ticketing') }}
),

final as (
    select
        tickets.ticket_id,
        ticket_episodes.person_id,
        ticket_episodes.account_id,
        tickets.channel,
        tickets.category,
        ticket_category_touchpoints.touchpoint_code,
        tickets.root_cause,
        tickets.priority,
        tickets.status,
        tickets.created_at,
        tickets.solved_at,
        ticket_timings.is_solved,
        ticket_timings.is_reopened,
        ticket_timings.first_reply_at,
        ticket_timings.first_reply_minutes,
        ticket_timings.resolution_hours,
        ticket_timings.agent_public_replies,
        ticket_timings.is_one_touch,
        ticket_episodes.episode_id,
        ticket_episodes.episode_ticket_number,
        ticket_episodes.is_repeat_contact,
        ticket_episodes.is_mature,
        {{ ticket_valence(
            'ticket_timings.is_reopened', 'ticket_episodes.is_repeat_contact'
        ) }}
            as valence,
        vendor_attributes.vendor_attributes
    from tickets
    inner join ticket_episodes
        on tickets.ticket_id = ticket_episodes.ticket_id
    inner join ticket_timings
        on tickets.ticket_id = ticket_timings.ticket_id
    left join ticket_category_touchpoints
        on tickets.category = ticket_category_touchpoints.category
    left join vendor_attributes
        on tickets.ticket_id = vendor_attributes.id
)

select * from final

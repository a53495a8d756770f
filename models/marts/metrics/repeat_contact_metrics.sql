-- Repeat-contact and resolution figures (docs/metrics.md, contacts and resolution) per
-- period ('all' and each month) and cut: overall, category, channel and tier. Ticket
-- figures count the tickets created in the period (on or before the as-of date);
-- episode figures count the episodes started in the period, with all their tickets, so
-- contacts_per_episode = episode_tickets / episodes. Tier is the account's as of the
-- as-of date, 'unmatched' without one, as ticket_service_levels decides it for each
-- ticket; an episode takes channel and tier from its first ticket there (the episode's
-- account and start are that ticket's, so it sits in the first ticket's cells and the
-- as-of date bounds both alike). has_immature_tickets: a
-- ticket of the cell, or the last ticket of an episode of the cell, is younger than
-- repeat_window_days, so the repeat and FCR figures may still move.
{#- the cuts of both ticket and episode cells: each value is an expression over the one
    relation fanned out (cell_tickets or cell_episodes, which name these columns alike) #}
{%- set cuts = [
    ('overall', "'all'"),
    ('category', "coalesce(category, 'unknown')"),
    ('channel', "coalesce(channel, 'unknown')"),
    ('tier', "tier"),
] %}
with

tickets as (
    select
        ticket_id,
        channel,
        category,
        created_at,
        is_solved,
        first_reply_minutes,
        resolution_hours,
        is_one_touch,
        is_repeat_contact,
        is_mature
    from {{ ref('tickets') }}
),

ticket_tiers as (
    -- the tickets created on or before the as-of date, each with its tier as of that
    -- date (decided once, in ticket_service_levels)
    select
        ticket_id,
        channel,
        tier
    from {{ ref('ticket_service_levels') }}
),

contact_episodes as (
    select
        episode_id,
        person_id,
        account_id,
        category,
        first_ticket_id,
        started_at,
        tickets,
        is_solved,
        is_fcr,
        is_at_risk,
        is_mature
    from {{ ref('contact_episodes') }}
),

metric_periods as (
    select
        period,
        period_start
    from {{ ref('metric_periods') }}
),

cell_tickets as (
    select
        {{ month_label('tickets.created_at') }} as ticket_month,
        tickets.category,
        tickets.channel,
        ticket_tiers.tier,
        tickets.is_solved,
        tickets.first_reply_minutes,
        tickets.resolution_hours,
        tickets.is_one_touch,
        tickets.is_repeat_contact,
        tickets.is_mature
    from tickets
    inner join ticket_tiers
        on tickets.ticket_id = ticket_tiers.ticket_id
),

cell_episodes as (
    select
        {{ month_label('contact_episodes.started_at') }} as episode_month,
        contact_episodes.person_id,
        contact_episodes.account_id,
        contact_episodes.category,
        first_tickets.channel,
        first_tickets.tier,
        contact_episodes.tickets,
        contact_episodes.is_solved,
        contact_episodes.is_fcr,
        contact_episodes.is_at_risk,
        contact_episodes.is_mature
    from contact_episodes
    -- the episodes started on or before the as-of date: those whose first ticket was
    -- created by then
    inner join ticket_tiers as first_tickets
        on contact_episodes.first_ticket_id = first_tickets.ticket_id
),

tickets_in_cells as (
    {{ period_cells(
        'cell_tickets',
        'ticket_month',
        cuts,
        [
            'is_solved',
            'first_reply_minutes',
            'resolution_hours',
            'is_one_touch',
            'is_repeat_contact',
            'is_mature',
        ],
    ) }}
),

episodes_in_cells as (
    {{ period_cells(
        'cell_episodes',
        'episode_month',
        cuts,
        ['person_id', 'account_id', 'tickets', 'is_solved', 'is_fcr', 'is_at_risk', 'is_mature'],
    ) }}
),

ticket_cells as (
    select
        {{ period_cell_keys('tickets_in_cells') }},
        count(*) as tickets,
        sum(case when tickets_in_cells.is_repeat_contact then 1 else 0 end)
            as repeat_contact_tickets,
        sum(case when tickets_in_cells.is_solved then 1 else 0 end) as solved_tickets,
        sum(case when tickets_in_cells.is_one_touch then 1 else 0 end)
            as one_touch_tickets,
        sum(case when tickets_in_cells.is_mature then 0 else 1 end) as immature_tickets,
        {{ median('tickets_in_cells.first_reply_minutes') }}
            as median_first_reply_minutes,
        {{ median('tickets_in_cells.resolution_hours') }} as median_resolution_hours
    from tickets_in_cells
    group by {{ period_cell_keys('tickets_in_cells') }}
),

episode_cells as (
    select
        {{ period_cell_keys('episodes_in_cells') }},
        count(*) as episodes,
        sum(episodes_in_cells.tickets) as episode_tickets,
        sum(case when episodes_in_cells.is_solved then 1 else 0 end) as solved_episodes,
        sum(case when episodes_in_cells.is_fcr then 1 else 0 end) as fcr_episodes,
        sum(case when episodes_in_cells.is_at_risk then 1 else 0 end)
            as at_risk_episodes,
        count(
            distinct case
                when episodes_in_cells.is_at_risk then episodes_in_cells.person_id
            end
        ) as people_at_risk,
        count(
            distinct case
                when episodes_in_cells.is_at_risk then episodes_in_cells.account_id
            end
        ) as accounts_at_risk,
        sum(case when episodes_in_cells.is_mature then 0 else 1 end)
            as immature_episodes
    from episodes_in_cells
    group by {{ period_cell_keys('episodes_in_cells') }}
),

-- every episode's first ticket is in the episode's own cell, so the ticket cells hold
-- every cell that has an episode
final as (
    select
        {{ period_cell_keys('ticket_cells', 'metric_periods') }},
        cast(ticket_cells.tickets as bigint) as tickets,
        cast(ticket_cells.repeat_contact_tickets as bigint) as repeat_contact_tickets,
        {{ percentage('ticket_cells.repeat_contact_tickets', 'ticket_cells.tickets') }}
            as repeat_contact_rate,
        cast(coalesce(episode_cells.episodes, 0) as bigint) as episodes,
        cast(coalesce(episode_cells.episode_tickets, 0) as bigint) as episode_tickets,
        cast(episode_cells.episode_tickets as {{ type_double() }})
        / nullif(episode_cells.episodes, 0) as contacts_per_episode,
        cast(coalesce(episode_cells.solved_episodes, 0) as bigint) as solved_episodes,
        cast(coalesce(episode_cells.fcr_episodes, 0) as bigint) as fcr_episodes,
        {{ percentage('episode_cells.fcr_episodes', 'episode_cells.solved_episodes') }}
            as fcr_rate,
        cast(ticket_cells.solved_tickets as bigint) as solved_tickets,
        cast(ticket_cells.one_touch_tickets as bigint) as one_touch_tickets,
        {{ percentage(
            'ticket_cells.one_touch_tickets', 'ticket_cells.solved_tickets'
        ) }} as one_touch_rate,
        cast(coalesce(episode_cells.at_risk_episodes, 0) as bigint) as at_risk_episodes,
        cast(coalesce(episode_cells.people_at_risk, 0) as bigint) as people_at_risk,
        cast(coalesce(episode_cells.accounts_at_risk, 0) as bigint) as accounts_at_risk,
        cast(ticket_cells.median_first_reply_minutes as {{ type_double() }})
            as median_first_reply_minutes,
        cast(ticket_cells.median_resolution_hours as {{ type_double() }})
            as median_resolution_hours,
        cast(ticket_cells.immature_tickets as bigint) as immature_tickets,
        ticket_cells.immature_tickets > 0
        or coalesce(episode_cells.immature_episodes, 0) > 0 as has_immature_tickets
    from ticket_cells
    inner join metric_periods
        on ticket_cells.period = metric_periods.period
    left join episode_cells
        on ticket_cells.period = episode_cells.period
            and ticket_cells.dimension = episode_cells.dimension
            and ticket_cells.dimension_value = episode_cells.dimension_value
)

select * from final

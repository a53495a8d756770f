-- One row per ticket, placed in its repeat-contact episode (docs/metrics.md). A ticket
-- is a repeat contact when the same person opened a ticket of the same category at most
-- repeat_window_days * 24 hours earlier (a gap of exactly the window repeats; ties in
-- created_at are ordered by ticket_id, the later id repeating the earlier). An episode
-- is a chain of such tickets; a ticket that is no repeat starts a new one, so every
-- ticket is in exactly one episode. Unmatched requesters are people of their own (by
-- email). Maturity: a ticket created at or after as_of_end_at - window (as_of_end_at =
-- the first instant after the as-of date) cannot yet know whether a repeat will follow.
with

tickets as (
    select
        ticket_id,
        requester_email,
        category,
        created_at
    from {{ ref('stg_ticketing__tickets') }}
),

emails as (
    select
        email,
        person_id,
        account_id,
        is_matched
    from {{ ref('int_emails_resolved_to_people') }}
),

as_of as (
    select maturity_cutoff_at from {{ ref('int_as_of_date') }}
),

tickets_resolved as (
    select
        tickets.ticket_id,
        emails.person_id,
        emails.account_id,
        emails.is_matched,
        tickets.category,
        tickets.created_at
    from tickets
    inner join emails
        on tickets.requester_email = emails.email
),

previous_ticket as (
    select
        tickets_resolved.ticket_id,
        tickets_resolved.person_id,
        tickets_resolved.account_id,
        tickets_resolved.is_matched,
        tickets_resolved.category,
        tickets_resolved.created_at,
        lag(tickets_resolved.created_at) over (
            partition by tickets_resolved.person_id, tickets_resolved.category
            order by tickets_resolved.created_at, tickets_resolved.ticket_id
        ) as previous_ticket_created_at
    from tickets_resolved
),

flagged as (
    select
        previous_ticket.ticket_id,
        previous_ticket.person_id,
        previous_ticket.account_id,
        previous_ticket.is_matched,
        previous_ticket.category,
        previous_ticket.created_at,
        previous_ticket.previous_ticket_created_at,
        coalesce(
            previous_ticket.created_at <= {{ dbt.dateadd(
                'hour',
                24 * (var('repeat_window_days') | int),
                'previous_ticket.previous_ticket_created_at'
            ) }},
            false
        ) as is_repeat_contact
    from previous_ticket
),

numbered as (
    select
        flagged.ticket_id,
        flagged.person_id,
        flagged.account_id,
        flagged.is_matched,
        flagged.category,
        flagged.created_at,
        flagged.previous_ticket_created_at,
        flagged.is_repeat_contact,
        sum(case when flagged.is_repeat_contact then 0 else 1 end) over (
            partition by flagged.person_id, flagged.category
            order by flagged.created_at, flagged.ticket_id
            rows between unbounded preceding and current row
        ) as episode_number
    from flagged
),

episodes as (
    select
        numbered.ticket_id,
        numbered.person_id,
        numbered.account_id,
        numbered.is_matched,
        numbered.category,
        numbered.created_at,
        numbered.previous_ticket_created_at,
        numbered.is_repeat_contact,
        first_value(numbered.ticket_id) over (
            partition by numbered.person_id, numbered.category, numbered.episode_number
            order by numbered.created_at, numbered.ticket_id
            rows between unbounded preceding and unbounded following
        ) as first_ticket_id,
        row_number() over (
            partition by numbered.person_id, numbered.category, numbered.episode_number
            order by numbered.created_at, numbered.ticket_id
        ) as episode_ticket_number,
        count(*) over (
            partition by numbered.person_id, numbered.category, numbered.episode_number
        ) as episode_tickets
    from numbered
),

final as (
    select
        episodes.ticket_id,
        episodes.person_id,
        episodes.account_id,
        episodes.is_matched,
        episodes.category,
        episodes.created_at,
        episodes.previous_ticket_created_at,
        episodes.is_repeat_contact,
        {{ dbt.concat(["'episode:'", "episodes.first_ticket_id"]) }} as episode_id,
        episodes.first_ticket_id,
        cast(episodes.episode_ticket_number as bigint) as episode_ticket_number,
        cast(episodes.episode_tickets as bigint) as episode_tickets,
        episodes.episode_ticket_number = episodes.episode_tickets
            as is_last_in_episode,
        episodes.created_at < as_of.maturity_cutoff_at as is_mature
    from episodes
    cross join as_of
)

select * from final

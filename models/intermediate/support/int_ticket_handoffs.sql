-- One row per handoff of a ticket from one agent to another (grain: ticket_id,
-- handed_at, to_event_id): the agent who acts on a ticket (writes an event as
-- author_role agent with an author_id) differs from the agent who acted before. Each
-- agent's group is its home group: the group of most of the tickets assigned to it
-- (ties: the lowest group_id); a handoff between agents of different home groups is a
-- group change. Zero rows without the optional author_id column.
with

acts as (
    select
        ticket_id,
        event_id,
        author_id,
        created_at
    from {{ ref('stg_ticketing__ticket_event_details') }}
    where author_role = 'agent'
        and author_id is not null
),

-- only a ticket on which more than one agent acted can have a handoff: the others
-- (most) are left out before the acts are put in order
shared_tickets as (
    select ticket_id
    from acts
    group by ticket_id
    having min(author_id) <> max(author_id)
),

sequenced as (
    select
        acts.ticket_id,
        acts.event_id,
        acts.author_id,
        acts.created_at,
        lag(acts.author_id) over (
            partition by acts.ticket_id order by acts.created_at, acts.event_id
        ) as previous_author_id
    from acts
    inner join shared_tickets
        on acts.ticket_id = shared_tickets.ticket_id
),

assignments as (
    select
        assignee_id,
        group_id
    from {{ ref('stg_ticketing__ticket_assignments') }}
    where assignee_id is not null
        and group_id is not null
        and exists (select 1 from acts)
),

group_counts as (
    select
        assignee_id,
        group_id,
        count(*) as tickets
    from assignments
    group by assignee_id, group_id
),

home_groups as (
    select
        assignee_id,
        group_id
    from (
        select
            assignee_id,
            group_id,
            row_number() over (
                partition by assignee_id order by tickets desc, group_id asc
            ) as group_rank
        from group_counts
    ) as ranked
    where group_rank = 1
),

final as (
    select
        sequenced.ticket_id,
        sequenced.created_at as handed_at,
        sequenced.event_id as to_event_id,
        sequenced.previous_author_id as from_agent_id,
        sequenced.author_id as to_agent_id,
        from_home.group_id as from_group_id,
        to_home.group_id as to_group_id,
        coalesce(from_home.group_id <> to_home.group_id, false) as is_group_change
    from sequenced
    left join home_groups as from_home
        on sequenced.previous_author_id = from_home.assignee_id
    left join home_groups as to_home
        on sequenced.author_id = to_home.assignee_id
    where sequenced.previous_author_id is not null
        and sequenced.previous_author_id <> sequenced.author_id
)

select * from final

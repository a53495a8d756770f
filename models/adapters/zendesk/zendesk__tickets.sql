{{ config(enabled=var('ticketing_source') == 'zendesk') }}
-- The raw contract's ticketing.tickets from Zendesk: one row per ticket not excluded
-- (zendesk__excluded), every contract column as text plus the lineage columns, and the
-- optional columns assignee_id and group_id (Zendesk user and group ids) and
-- schedule_id (zendesk__ticket_schedules; empty when ticket_schedule is not landed).
with

tickets as (
    select
        _connector,
        _source_row,
        ticket_id,
        requester_id,
        assignee_id,
        group_id,
        channel,
        root_cause,
        priority,
        status,
        created_at,
        exclusion_reason,
        _fivetran_synced
    from {{ ref('zendesk__ticket_rows') }}
),

categories as (
    select
        ticket_id,
        category
    from {{ ref('zendesk__ticket_categories') }}
),

users as (
    select
        user_id,
        email
    from {{ ref('zendesk__users') }}
),

schedules as (
    select
        ticket_id,
        schedule_id
    from {{ ref('zendesk__ticket_schedules') }}
),

solves as (
    select
        ticket_id,
        max(updated) as last_solved_at
    from {{ ref('zendesk__status_changes') }}
    where event_type = 'solved'
    group by ticket_id
),

final as (
    select
        tickets.ticket_id,
        users.email as requester_email,
        tickets.channel,
        categories.category,
        tickets.root_cause,
        tickets.priority,
        tickets.status,
        tickets.created_at,
        case
            when tickets.status in ('solved', 'closed')
                then {{ vendor_timestamp('solves.last_solved_at') }}
        end as solved_at,
        tickets.assignee_id,
        tickets.group_id,
        schedules.schedule_id,
        {{ dbt.concat(["tickets._connector", "'.ticket'"]) }} as _source_file,
        tickets._source_row,
        {{ dbt.concat(["tickets._connector", "'.ticket'"]) }} as _batch_id,
        tickets._fivetran_synced as _loaded_at
    from tickets
    left join categories
        on tickets.ticket_id = categories.ticket_id
    left join users
        on tickets.requester_id = users.user_id
    left join solves
        on tickets.ticket_id = solves.ticket_id
    left join schedules
        on tickets.ticket_id = schedules.ticket_id
    where tickets.exclusion_reason is null
)

select * from final

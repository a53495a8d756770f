{{ config(enabled=var('ticketing_source') == 'zendesk') }}
-- One row per Zendesk row that leaves before the raw contract, with why: deleted
-- tickets (`fivetran_deleted`, `deleted_status`), comments deleted or of an excluded
-- ticket, field-history rows that are not contract events (`not_a_status_field`,
-- `initial_status`) or belong to an excluded ticket (`ticket_excluded`).
with

tickets as (
    select
        _connector,
        _source_row,
        ticket_id,
        exclusion_reason
    from {{ ref('zendesk__ticket_rows') }}
),

comments as (
    {{ vendor_union(
        'zendesk', 'ticket_comment', ['id', 'ticket_id', '_fivetran_deleted']
    ) }}
),

status_changes as (
    select
        _connector,
        _source_row,
        ticket_id,
        exclusion_reason
    from {{ ref('zendesk__status_changes') }}
),

excluded_tickets as (
    select
        {{ dbt.concat(["tickets._connector", "'.ticket'"]) }} as vendor_table,
        tickets._source_row as vendor_row,
        tickets.ticket_id as vendor_id,
        tickets.exclusion_reason
    from tickets
    where tickets.exclusion_reason is not null
),

excluded_comments as (
    select
        {{ dbt.concat(["comments._connector", "'.ticket_comment'"]) }} as vendor_table,
        row_number() over (
            partition by comments._connector
            order by {{ vendor_id('zendesk', 'comments.id') }}
        ) as vendor_row,
        {{ vendor_id('zendesk', 'comments.id') }} as vendor_id,
        case
            when coalesce({{ vendor_boolean('comments._fivetran_deleted') }}, false)
                then 'fivetran_deleted'
            when tickets.exclusion_reason is not null then 'ticket_excluded'
        end as exclusion_reason
    from comments
    left join tickets
        on {{ vendor_id('zendesk', 'comments.ticket_id') }} = tickets.ticket_id
),

excluded_history as (
    select
        {{ dbt.concat(["status_changes._connector", "'.ticket_field_history'"]) }}
            as vendor_table,
        status_changes._source_row as vendor_row,
        {{ dbt.concat([
            "status_changes.ticket_id", "':'",
            dbt.safe_cast("status_changes._source_row", dbt.type_string()),
        ]) }} as vendor_id,
        coalesce(status_changes.exclusion_reason, 'ticket_excluded') as exclusion_reason
    from status_changes
    left join tickets
        on status_changes.ticket_id = tickets.ticket_id
    where status_changes.exclusion_reason is not null
        or tickets.exclusion_reason is not null
),

final as (
    select
        vendor_table,
        vendor_row,
        vendor_id,
        exclusion_reason
    from excluded_tickets
    union all
    select
        vendor_table,
        vendor_row,
        vendor_id,
        exclusion_reason
    from excluded_comments
    where exclusion_reason is not null
    union all
    select
        vendor_table,
        vendor_row,
        vendor_id,
        exclusion_reason
    from excluded_history
)

select * from final

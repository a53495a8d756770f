{{ config(enabled=var('ticketing_source') == 'zendesk') }}
-- The raw contract's ticketing.ticket_events from Zendesk: one row per comment (a
-- public comment is a `public_reply`, a private one an `internal_note`) and per status
-- change of ticket_field_history that is a contract event (zendesk__status_changes), of
-- tickets not excluded. author_role from the author's user role (no known user:
-- `system`). A comment that came through another channel than its ticket (a customer
-- answering by e-mail) keeps its own channel (optional column
-- ticket_comment.via_channel); every other event has its ticket's channel. author_id
-- (optional contract column) is the Zendesk user id of the comment's author or of the
-- user who changed the status. new_status (optional contract column) is the status a
-- status_change sets: the history value through the zendesk_status_map seed, except
-- `hold`, kept as on_hold (the contract's event statuses tell it from pending); an
-- unmapped value passes through.
with

comments as (
    {{ vendor_union('zendesk', 'ticket_comment', [
        'id', 'ticket_id', 'user_id', 'created', 'public', '_fivetran_deleted',
        '_fivetran_synced',
    ], ['via_channel']) }}
),

status_changes as (
    select
        _connector,
        _source_row,
        ticket_id,
        user_id,
        event_type,
        value,
        created_at,
        _fivetran_synced
    from {{ ref('zendesk__status_changes') }}
    where event_type is not null
),

status_map as (
    select
        vendor_status,
        status
    from {{ ref('zendesk_status_map') }}
),

tickets as (
    select
        ticket_id,
        via_channel,
        channel,
        exclusion_reason
    from {{ ref('zendesk__ticket_rows') }}
),

users as (
    select
        user_id,
        author_role
    from {{ ref('zendesk__users') }}
),

channel_map as (
    select
        via_channel,
        raw_code
    from {{ ref('zendesk_channel_map') }}
),

comment_rows as (
    select
        comments._connector,
        row_number() over (
            partition by comments._connector
            order by {{ vendor_id('zendesk', 'comments.id') }}
        ) as _source_row,
        {{ vendor_id('zendesk', 'comments.id') }} as event_id,
        {{ vendor_id('zendesk', 'comments.ticket_id') }} as ticket_id,
        {{ vendor_id('zendesk', 'comments.user_id') }} as user_id,
        case
            when {{ vendor_boolean('comments.public') }} then 'public_reply'
            when not {{ vendor_boolean('comments.public') }} then 'internal_note'
        end as event_type,
        {{ normalize_code('comments.via_channel') }} as via_channel,
        {{ vendor_timestamp('comments.created') }} as created_at,
        coalesce({{ vendor_boolean('comments._fivetran_deleted') }}, false)
            as is_deleted,
        comments._fivetran_synced
    from comments
),

comment_events as (
    select
        comment_rows.event_id,
        comment_rows.ticket_id,
        comment_rows.event_type,
        coalesce(users.author_role, 'system') as author_role,
        comment_rows.user_id as author_id,
        cast(null as {{ dbt.type_string() }}) as new_status,
        case
            when comment_rows.via_channel is null
                or comment_rows.via_channel = tickets.via_channel
                then tickets.channel
            else coalesce(channel_map.raw_code, comment_rows.via_channel)
        end as channel,
        comment_rows.created_at,
        {{ dbt.concat(["comment_rows._connector", "'.ticket_comment'"]) }}
            as _source_file,
        comment_rows._source_row,
        {{ dbt.concat(["comment_rows._connector", "'.ticket_comment'"]) }} as _batch_id,
        comment_rows._fivetran_synced as _loaded_at
    from comment_rows
    left join tickets
        on comment_rows.ticket_id = tickets.ticket_id
    left join users
        on comment_rows.user_id = users.user_id
    left join channel_map
        on comment_rows.via_channel = channel_map.via_channel
    where not comment_rows.is_deleted
        and tickets.exclusion_reason is null
),

history_events as (
    select
        {{ dbt.concat([
            "'status:'", "status_changes.ticket_id", "':'",
            dbt.safe_cast("status_changes._source_row", dbt.type_string()),
        ]) }} as event_id,
        status_changes.ticket_id,
        status_changes.event_type,
        coalesce(users.author_role, 'system') as author_role,
        status_changes.user_id as author_id,
        case
            when status_changes.event_type != 'status_change' then null
            when status_changes.value = 'hold' then 'on_hold'
            when status_map.vendor_status is not null then status_map.status
            else status_changes.value
        end as new_status,
        tickets.channel,
        status_changes.created_at,
        {{ dbt.concat(["status_changes._connector", "'.ticket_field_history'"]) }}
            as _source_file,
        status_changes._source_row,
        {{ dbt.concat(["status_changes._connector", "'.ticket_field_history'"]) }}
            as _batch_id,
        status_changes._fivetran_synced as _loaded_at
    from status_changes
    left join tickets
        on status_changes.ticket_id = tickets.ticket_id
    left join users
        on status_changes.user_id = users.user_id
    left join status_map
        on status_changes.value = status_map.vendor_status
    where tickets.exclusion_reason is null
),

final as (
    select
        event_id,
        ticket_id,
        event_type,
        author_role,
        channel,
        created_at,
        author_id,
        new_status,
        _source_file,
        _source_row,
        _batch_id,
        _loaded_at
    from comment_events
    union all
    select
        event_id,
        ticket_id,
        event_type,
        author_role,
        channel,
        created_at,
        author_id,
        new_status,
        _source_file,
        _source_row,
        _batch_id,
        _loaded_at
    from history_events
)

select * from final

{{ config(enabled=var('ticketing_source') == 'zendesk') }}
-- Every `ticket_field_history` row of every connector, classified: a status row becomes
-- a contract ticket event (`solved`; `reopened` when a solved ticket goes back to a
-- non-solved status other than closed; otherwise `status_change`), except the first
-- status of a ticket (its creation, already the first comment); any other field is not
-- a contract event. Rows that do not become events carry an exclusion_reason.
with

history as (
    {{ vendor_union('zendesk', 'ticket_field_history', [
        'ticket_id', 'field_name', 'value', 'updated', 'user_id', '_fivetran_synced',
    ]) }}
),

typed as (
    select
        history._connector,
        {{ vendor_id('zendesk', 'history.ticket_id') }} as ticket_id,
        {{ vendor_id('zendesk', 'history.user_id') }} as user_id,
        {{ normalize_code('history.field_name') }} as field_name,
        {{ normalize_code('history.value') }} as value,
        history.updated,
        {{ vendor_timestamp('history.updated') }} as updated_text,
        history._fivetran_synced
    from history
),

numbered as (
    select
        typed.*,
        row_number() over (
            partition by typed._connector
            order by typed.ticket_id, typed.updated, typed.field_name, typed.value
        ) as _source_row
    from typed
),

statuses as (
    select
        numbered._connector,
        numbered._source_row,
        numbered.ticket_id,
        numbered.value,
        row_number() over (
            partition by numbered.ticket_id
            order by numbered.updated, numbered._source_row
        ) as status_sequence,
        lag(numbered.value) over (
            partition by numbered.ticket_id
            order by numbered.updated, numbered._source_row
        ) as previous_value
    from numbered
    where numbered.field_name = 'status'
),

classified as (
    select
        numbered._connector,
        numbered._source_row,
        numbered.ticket_id,
        numbered.user_id,
        numbered.field_name,
        numbered.value,
        numbered.updated,
        numbered.updated_text as created_at,
        numbered._fivetran_synced,
        statuses.status_sequence,
        case
            when statuses.status_sequence is null
                or statuses.status_sequence = 1
                then null
            when statuses.value = 'solved' then 'solved'
            when statuses.previous_value = 'solved'
                and statuses.value not in ('solved', 'closed', 'deleted')
                then 'reopened'
            else 'status_change'
        end as event_type,
        case
            when numbered.field_name is null or numbered.field_name != 'status'
                then 'not_a_status_field'
            when statuses.status_sequence = 1 then 'initial_status'
        end as exclusion_reason
    from numbered
    left join statuses
        on numbered._connector = statuses._connector
            and numbered._source_row = statuses._source_row
)

select * from classified

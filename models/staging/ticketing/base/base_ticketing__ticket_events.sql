-- Every delivered ticket event row, typed, with the contract rule it breaks (if any).
with

source as (
    {% if var('ticketing_source') == 'contract' -%}
    select * from {{ source('ticketing', 'ticket_events') }}
    {%- else -%}
    select * from {{ ref(var('ticketing_source') ~ '__ticket_events') }}
    {%- endif %}
),

tickets as (
    select ticket_id from {{ ref('stg_ticketing__tickets') }}
),

channel_map as (
    select
        raw_code,
        channel
    from {{ ref('channel_map') }}
),

typed as (
    select
        source._source_row,
        source._batch_id,
        nullif(trim(source.event_id), '') as event_id,
        nullif(trim(source.ticket_id), '') as ticket_id,
        {{ normalize_code('source.event_type') }} as event_type,
        {{ normalize_code('source.author_role') }} as author_role,
        {{ normalize_code('source.channel') }} as channel_code,
        coalesce(channel_map.channel, 'unknown') as channel,
        {{ try_cast_timestamp('source.created_at') }} as created_at,
        case
            when {{ try_cast_timestamp('source.created_at') }} is null
                then 'invalid_timestamp'
            when {{ normalize_code('source.event_type') }} is null
                or {{ normalize_code('source.event_type') }} not in (
                    'public_reply',
                    'internal_note',
                    'status_change',
                    'reopened',
                    'solved'
                )
                or {{ normalize_code('source.author_role') }} is null
                or {{ normalize_code('source.author_role') }}
                not in ('agent', 'customer', 'system')
                then 'invalid_code'
            when nullif(trim(source.ticket_id), '') is null then 'missing_reference'
            when tickets.ticket_id is null then 'orphan_reference'
        end as row_issue
    from source
    left join tickets
        on nullif(trim(source.ticket_id), '') = tickets.ticket_id
    left join channel_map
        on {{ normalize_code('source.channel') }} = channel_map.raw_code
),

ranked as (
    select
        typed.*,
        row_number() over (
            partition by typed.event_id, typed.row_issue
            order by typed._source_row
        ) as key_occurrence
    from typed
),

checked as (
    select
        ranked._source_row,
        ranked._batch_id,
        ranked.event_id,
        ranked.ticket_id,
        ranked.event_type,
        ranked.author_role,
        ranked.channel_code,
        ranked.channel,
        ranked.created_at,
        case
            when ranked.event_id is null then 'missing_key'
            when ranked.row_issue is not null then ranked.row_issue
            when ranked.key_occurrence > 1 then 'duplicate_key'
        end as quarantine_reason
    from ranked
)

select * from checked

-- Every delivered ticket event row, typed, with the contract rule it breaks (if any).
-- depends_on: {{ ref('base_ticketing__tickets') }}
{%- set source_relation = system_source('ticketing', 'ticket_events') %}
with

{% if staging_is_incremental() -%}
{{ staging_changes(
    source_relation,
    'event_id',
    "nullif(trim(delivered.event_id), '')",
    [
        {'column': 'ticket_id', 'model': 'base_ticketing__tickets', 'key': 'ticket_id'},
    ],
) }}

{% endif -%}
source as (
    select * from {{ source_relation }} as delivered
    {%- if staging_is_incremental() %}
    where {{ staging_rows_to_judge("nullif(trim(delivered.event_id), '')") }}
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
        {{ key_occurrence('typed', ['event_id']) }} as key_occurrence
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
        {{ quarantine_reason('ranked', 'event_id') }} as quarantine_reason,
        {{ staged_at() }} as _staged_at
    from ranked
)

{{ staging_select('checked', source_relation, 'event_id') }}

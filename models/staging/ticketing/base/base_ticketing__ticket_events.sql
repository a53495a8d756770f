-- Every delivered ticket event row, typed, with the contract rule it breaks (if any).
-- depends_on: {{ ref('base_ticketing__tickets') }}
{%- set source_relation = system_source('ticketing', 'ticket_events') %}
{{ config(
    post_hook="{{ staging_delete_gone_batches('ticketing', 'ticket_events') }}",
) }}
{#- the same relation as an object, whose columns optional_column looks up -#}
{%- if var('ticketing_source') == 'contract' -%}
{%- set raw_relation = source('ticketing', 'ticket_events') -%}
{%- else -%}
{%- set raw_relation = ref(var('ticketing_source') ~ '__ticket_events') -%}
{%- endif %}
{%- set new_status_raw = optional_column(raw_relation, 'new_status', 'source') %}
{%- set new_status = normalize_code(new_status_raw) %}
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
        -- the optional columns (ingest/contract.py OPTIONAL_COLUMNS), null when the raw
        -- table lacks them; 'hold' is taken as 'on_hold'
        nullif(trim({{ optional_column(raw_relation, 'author_id', 'source') }}), '')
            as author_id,
        case
            when {{ new_status }} = 'hold' then 'on_hold'
            else {{ new_status }}
        end as new_status,
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
        ranked.author_id,
        ranked.new_status,
        {{ quarantine_reason('ranked', 'event_id') }} as quarantine_reason,
        {{ staged_at() }} as _staged_at
    from ranked
)

{{ staging_select('checked', source_relation, 'event_id') }}

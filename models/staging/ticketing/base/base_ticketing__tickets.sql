-- Every delivered ticket row, typed, with the contract rule it breaks (if any).
{%- set source_relation = system_source('ticketing', 'tickets') %}
{{ config(post_hook="{{ staging_delete_gone_batches('ticketing', 'tickets') }}") }}
with

{% if staging_is_incremental() -%}
{{ staging_changes(
    source_relation,
    'ticket_id',
    "nullif(trim(delivered.ticket_id), '')",
) }}

{% endif -%}
source as (
    select * from {{ source_relation }} as delivered
    {%- if staging_is_incremental() %}
    where {{ staging_rows_to_judge("nullif(trim(delivered.ticket_id), '')") }}
    {%- endif %}
),

channel_map as (
    select
        raw_code,
        channel
    from {{ ref('channel_map') }}
),

categories as (
    select category from {{ ref('ticket_category_touchpoints') }}
),

typed as (
    select
        source._source_row,
        source._batch_id,
        nullif(trim(source.ticket_id), '') as ticket_id,
        {{ normalize_email('source.requester_email') }} as requester_email,
        {{ normalize_code('source.channel') }} as channel_code,
        coalesce(channel_map.channel, 'unknown') as channel,
        {{ normalize_code('source.category') }} as category,
        {{ normalize_code('source.root_cause') }} as root_cause,
        {{ normalize_code('source.priority') }} as priority,
        {{ normalize_code('source.status') }} as status,
        {{ try_cast_timestamp('source.created_at') }} as created_at,
        {{ try_cast_timestamp('source.solved_at') }} as solved_at,
        case
            when {{ try_cast_timestamp('source.created_at') }} is null
                or (
                    nullif(trim(source.solved_at), '') is not null
                    and {{ try_cast_timestamp('source.solved_at') }} is null
                )
                then 'invalid_timestamp'
            when categories.category is null
                or {{ normalize_code('source.status') }} is null
                or {{ normalize_code('source.status') }}
                not in ('new', 'open', 'pending', 'solved', 'closed')
                then 'invalid_code'
            when {{ normalize_email('source.requester_email') }} is null
                then 'missing_reference'
        end as row_issue
    from source
    left join channel_map
        on {{ normalize_code('source.channel') }} = channel_map.raw_code
    left join categories
        on {{ normalize_code('source.category') }} = categories.category
),

ranked as (
    select
        typed.*,
        {{ key_occurrence('typed', ['ticket_id']) }} as key_occurrence
    from typed
),

checked as (
    select
        ranked._source_row,
        ranked._batch_id,
        ranked.ticket_id,
        ranked.requester_email,
        ranked.channel_code,
        ranked.channel,
        ranked.category,
        ranked.root_cause,
        ranked.priority,
        ranked.status,
        ranked.created_at,
        ranked.solved_at,
        {{ quarantine_reason('ranked', 'ticket_id') }} as quarantine_reason,
        {{ staged_at() }} as _staged_at
    from ranked
)

{{ staging_select('checked', source_relation, 'ticket_id') }}

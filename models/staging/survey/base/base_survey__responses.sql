-- Every delivered response row, typed, with the contract rule it breaks (if any).
-- depends_on: {{ ref('base_survey__surveys') }}
-- depends_on: {{ ref('base_ticketing__tickets') }}
-- depends_on: {{ ref('base_crm__orders') }}
{%- set source_relation = system_source('survey', 'responses') %}
{{ config(post_hook="{{ staging_delete_gone_batches('survey', 'responses') }}") }}
with

{% if staging_is_incremental() -%}
{{ staging_changes(
    source_relation,
    'response_id',
    "nullif(trim(delivered.response_id), '')",
    [
        {'column': 'survey_id', 'model': 'base_survey__surveys', 'key': 'survey_id'},
        {'column': 'ticket_id', 'model': 'base_ticketing__tickets', 'key': 'ticket_id'},
        {'column': 'order_id', 'model': 'base_crm__orders', 'key': 'order_id'},
    ],
) }}

{% endif -%}
source as (
    select * from {{ source_relation }} as delivered
    {%- if staging_is_incremental() %}
    where {{ staging_rows_to_judge("nullif(trim(delivered.response_id), '')") }}
    {%- endif %}
),

surveys as (
    select survey_id from {{ ref('stg_survey__surveys') }}
),

tickets as (
    select ticket_id from {{ ref('stg_ticketing__tickets') }}
),

orders as (
    select order_id from {{ ref('stg_crm__orders') }}
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
        nullif(trim(source.response_id), '') as response_id,
        nullif(trim(source.survey_id), '') as survey_id,
        {{ normalize_email('source.respondent_email') }} as respondent_email,
        nullif(trim(source.ticket_id), '') as ticket_id,
        nullif(trim(source.order_id), '') as order_id,
        {{ normalize_code('source.channel') }} as channel_code,
        coalesce(channel_map.channel, 'unknown') as channel,
        {{ try_cast_timestamp('source.submitted_at') }} as submitted_at,
        case
            when {{ try_cast_timestamp('source.submitted_at') }} is null
                then 'invalid_timestamp'
            when nullif(trim(source.survey_id), '') is null
                or {{ normalize_email('source.respondent_email') }} is null
                then 'missing_reference'
            when surveys.survey_id is null then 'orphan_reference'
            when nullif(trim(source.ticket_id), '') is not null
                and tickets.ticket_id is null
                then 'orphan_reference'
            when nullif(trim(source.order_id), '') is not null
                and orders.order_id is null
                then 'orphan_reference'
        end as row_issue
    from source
    left join surveys
        on nullif(trim(source.survey_id), '') = surveys.survey_id
    left join tickets
        on nullif(trim(source.ticket_id), '') = tickets.ticket_id
    left join orders
        on nullif(trim(source.order_id), '') = orders.order_id
    left join channel_map
        on {{ normalize_code('source.channel') }} = channel_map.raw_code
),

ranked as (
    select
        typed.*,
        {{ key_occurrence('typed', ['response_id']) }} as key_occurrence
    from typed
),

checked as (
    select
        ranked._source_row,
        ranked._batch_id,
        ranked.response_id,
        ranked.survey_id,
        ranked.respondent_email,
        ranked.ticket_id,
        ranked.order_id,
        ranked.channel_code,
        ranked.channel,
        ranked.submitted_at,
        {{ quarantine_reason('ranked', 'response_id') }} as quarantine_reason,
        {{ staged_at() }} as _staged_at
    from ranked
)

{{ staging_select('checked', source_relation, 'response_id') }}

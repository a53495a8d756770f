-- Every delivered order row, typed, with the contract rule it breaks (if any).
-- depends_on: {{ ref('base_crm__accounts') }}
-- depends_on: {{ ref('base_crm__contacts') }}
{%- set source_relation = system_source('crm', 'orders') %}
{{ config(post_hook="{{ staging_delete_gone_batches('crm', 'orders') }}") }}
with

{% if staging_is_incremental() -%}
{{ staging_changes(
    source_relation,
    'order_id',
    "nullif(trim(delivered.order_id), '')",
    [
        {'column': 'account_id', 'model': 'base_crm__accounts', 'key': 'account_id'},
        {'column': 'contact_id', 'model': 'base_crm__contacts', 'key': 'contact_id'},
    ],
) }}

{% endif -%}
source as (
    select * from {{ source_relation }} as delivered
    {%- if staging_is_incremental() %}
    where {{ staging_rows_to_judge("nullif(trim(delivered.order_id), '')") }}
    {%- endif %}
),

accounts as (
    select account_id from {{ ref('stg_crm__accounts') }}
),

contacts as (
    select contact_id from {{ ref('stg_crm__contacts') }}
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
        nullif(trim(source.order_id), '') as order_id,
        nullif(trim(source.account_id), '') as account_id,
        nullif(trim(source.contact_id), '') as contact_id,
        {{ normalize_code('source.order_type') }} as order_type,
        {{ try_cast_timestamp('source.ordered_at') }} as ordered_at,
        {{ try_cast_decimal('source.amount') }} as amount,
        upper(trim(source.currency)) as currency,
        {{ normalize_code('source.channel') }} as channel_code,
        coalesce(channel_map.channel, 'unknown') as channel,
        case
            when {{ try_cast_timestamp('source.ordered_at') }} is null
                then 'invalid_timestamp'
            -- amount >= 0 except refunds (negative one_off rows)
            when {{ try_cast_decimal('source.amount') }} is null
                or (
                    {{ try_cast_decimal('source.amount') }} < 0
                    and {{ normalize_code('source.order_type') }} != 'one_off'
                )
                then 'invalid_number'
            when {{ normalize_code('source.order_type') }} is null
                or {{ normalize_code('source.order_type') }}
                not in ('new', 'renewal', 'upgrade', 'one_off')
                then 'invalid_code'
            when nullif(trim(source.account_id), '') is null then 'missing_reference'
            when accounts.account_id is null then 'orphan_reference'
            when nullif(trim(source.contact_id), '') is not null
                and contacts.contact_id is null
                then 'orphan_reference'
        end as row_issue
    from source
    left join accounts
        on nullif(trim(source.account_id), '') = accounts.account_id
    left join contacts
        on nullif(trim(source.contact_id), '') = contacts.contact_id
    left join channel_map
        on {{ normalize_code('source.channel') }} = channel_map.raw_code
),

ranked as (
    select
        typed.*,
        {{ key_occurrence('typed', ['order_id']) }} as key_occurrence
    from typed
),

checked as (
    select
        ranked._source_row,
        ranked._batch_id,
        ranked.order_id,
        ranked.account_id,
        ranked.contact_id,
        ranked.order_type,
        ranked.ordered_at,
        ranked.amount,
        ranked.currency,
        ranked.channel_code,
        ranked.channel,
        {{ quarantine_reason('ranked', 'order_id') }} as quarantine_reason,
        {{ staged_at() }} as _staged_at
    from ranked
)

{{ staging_select('checked', source_relation, 'order_id') }}

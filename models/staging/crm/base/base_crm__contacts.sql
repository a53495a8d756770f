-- Every delivered contact row, typed, with the contract rule it breaks (if any).
-- depends_on: {{ ref('base_crm__accounts') }}
{%- set source_relation = system_source('crm', 'contacts') %}
{{ config(post_hook="{{ staging_delete_gone_batches('crm', 'contacts') }}") }}
with

{% if staging_is_incremental() -%}
{{ staging_changes(
    source_relation,
    'contact_id',
    "nullif(trim(delivered.contact_id), '')",
    [
        {'column': 'account_id', 'model': 'base_crm__accounts', 'key': 'account_id'},
    ],
) }}

{% endif -%}
source as (
    select * from {{ source_relation }} as delivered
    {%- if staging_is_incremental() %}
    where {{ staging_rows_to_judge("nullif(trim(delivered.contact_id), '')") }}
    {%- endif %}
),

accounts as (
    select account_id from {{ ref('stg_crm__accounts') }}
),

typed as (
    select
        source._source_row,
        source._batch_id,
        nullif(trim(source.contact_id), '') as contact_id,
        nullif(trim(source.account_id), '') as account_id,
        {{ normalize_email('source.email') }} as email,
        trim(source.full_name) as full_name,
        nullif(trim(source.phone), '') as phone,
        {{ try_cast_boolean('source.is_billing_contact') }} as is_billing_contact,
        {{ try_cast_timestamp('source.created_at') }} as created_at,
        case
            when nullif(trim(source.created_at), '') is not null
                and {{ try_cast_timestamp('source.created_at') }} is null
                then 'invalid_timestamp'
            when nullif(trim(source.is_billing_contact), '') is not null
                and {{ try_cast_boolean('source.is_billing_contact') }} is null
                then 'invalid_boolean'
            when nullif(trim(source.account_id), '') is null then 'missing_reference'
            when accounts.account_id is null then 'orphan_reference'
        end as row_issue
    from source
    left join accounts
        on nullif(trim(source.account_id), '') = accounts.account_id
),

ranked as (
    select
        typed.*,
        {{ key_occurrence('typed', ['contact_id']) }} as key_occurrence
    from typed
),

checked as (
    select
        ranked._source_row,
        ranked._batch_id,
        ranked.contact_id,
        ranked.account_id,
        ranked.email,
        ranked.full_name,
        ranked.phone,
        ranked.is_billing_contact,
        ranked.created_at,
        {{ quarantine_reason('ranked', 'contact_id') }} as quarantine_reason,
        {{ staged_at() }} as _staged_at
    from ranked
)

{{ staging_select('checked', source_relation, 'contact_id') }}

-- Every delivered account row, typed, with the contract rule it breaks (if any).
{%- set source_relation = system_source('crm', 'accounts') %}
{{ config(post_hook="{{ staging_delete_gone_batches('crm', 'accounts') }}") }}
with

{% if staging_is_incremental() -%}
{{ staging_changes(
    source_relation,
    'account_id',
    "nullif(trim(delivered.account_id), '')",
) }}

{% endif -%}
source as (
    select * from {{ source_relation }} as delivered
    {%- if staging_is_incremental() %}
    where {{ staging_rows_to_judge("nullif(trim(delivered.account_id), '')") }}
    {%- endif %}
),

typed as (
    select
        _source_row,
        _batch_id,
        nullif(trim(account_id), '') as account_id,
        trim(account_name) as account_name,
        {{ normalize_code('segment') }} as segment,
        upper(trim(country)) as country_code,
        {{ try_cast_timestamp('created_at') }} as created_at,
        case
            when nullif(trim(created_at), '') is not null
                and {{ try_cast_timestamp('created_at') }} is null
                then 'invalid_timestamp'
        end as row_issue
    from source
),

ranked as (
    select
        typed.*,
        {{ key_occurrence('typed', ['account_id']) }} as key_occurrence
    from typed
),

checked as (
    select
        ranked._source_row,
        ranked._batch_id,
        ranked.account_id,
        ranked.account_name,
        ranked.segment,
        ranked.country_code,
        ranked.created_at,
        {{ quarantine_reason('ranked', 'account_id') }} as quarantine_reason,
        {{ staged_at() }} as _staged_at
    from ranked
)

{{ staging_select('checked', source_relation, 'account_id') }}

-- Every delivered invoice row, typed, with the contract rule it breaks (if any).
-- depends_on: {{ ref('base_crm__accounts') }}
-- depends_on: {{ ref('base_crm__orders') }}
{%- set source_relation = system_source('crm', 'invoices') %}
{{ config(post_hook="{{ staging_delete_gone_batches('crm', 'invoices') }}") }}
with

{% if staging_is_incremental() -%}
{{ staging_changes(
    source_relation,
    'invoice_id',
    "nullif(trim(delivered.invoice_id), '')",
    [
        {'column': 'account_id', 'model': 'base_crm__accounts', 'key': 'account_id'},
        {'column': 'order_id', 'model': 'base_crm__orders', 'key': 'order_id'},
    ],
) }}

{% endif -%}
source as (
    select * from {{ source_relation }} as delivered
    {%- if staging_is_incremental() %}
    where {{ staging_rows_to_judge("nullif(trim(delivered.invoice_id), '')") }}
    {%- endif %}
),

accounts as (
    select account_id from {{ ref('stg_crm__accounts') }}
),

orders as (
    select order_id from {{ ref('stg_crm__orders') }}
),

typed as (
    select
        source._source_row,
        source._batch_id,
        nullif(trim(source.invoice_id), '') as invoice_id,
        nullif(trim(source.account_id), '') as account_id,
        nullif(trim(source.order_id), '') as order_id,
        {{ try_cast_timestamp('source.issued_at') }} as issued_at,
        {{ try_cast_timestamp('source.due_at') }} as due_at,
        {{ try_cast_timestamp('source.paid_at') }} as paid_at,
        {{ try_cast_decimal('source.amount') }} as amount,
        coalesce({{ try_cast_boolean('source.is_disputed') }}, false) as is_disputed,
        case
            when {{ try_cast_timestamp('source.issued_at') }} is null
                or {{ try_cast_timestamp('source.due_at') }} is null
                or (
                    nullif(trim(source.paid_at), '') is not null
                    and {{ try_cast_timestamp('source.paid_at') }} is null
                )
                then 'invalid_timestamp'
            when {{ try_cast_decimal('source.amount') }} is null then 'invalid_number'
            when nullif(trim(source.is_disputed), '') is not null
                and {{ try_cast_boolean('source.is_disputed') }} is null
                then 'invalid_boolean'
            when nullif(trim(source.account_id), '') is null then 'missing_reference'
            when accounts.account_id is null then 'orphan_reference'
            when nullif(trim(source.order_id), '') is not null
                and orders.order_id is null
                then 'orphan_reference'
        end as row_issue
    from source
    left join accounts
        on nullif(trim(source.account_id), '') = accounts.account_id
    left join orders
        on nullif(trim(source.order_id), '') = orders.order_id
),

ranked as (
    select
        typed.*,
        {{ key_occurrence('typed', ['invoice_id']) }} as key_occurrence
    from typed
),

checked as (
    select
        ranked._source_row,
        ranked._batch_id,
        ranked.invoice_id,
        ranked.account_id,
        ranked.order_id,
        ranked.issued_at,
        ranked.due_at,
        ranked.paid_at,
        ranked.amount,
        ranked.is_disputed,
        {{ quarantine_reason('ranked', 'invoice_id') }} as quarantine_reason,
        {{ staged_at() }} as _staged_at
    from ranked
)

{{ staging_select('checked', source_relation, 'invoice_id') }}

{{ config(enabled=var('crm_source') == 'salesforce') }}
{{ vendor_require_columns('salesforce', 'account', [
    'id', 'name', 'created_date', '_fivetran_synced',
]) }}
{%- set segment_column = var('salesforce_account_segment_column', 'type') -%}
-- One row per Salesforce account row, in the raw contract's crm.accounts shape, with
-- exclusion_reason when the adapter leaves it out: deleted (is_deleted / _fivetran_deleted),
-- history_version (_fivetran_active false). segment from the column named by var
-- salesforce_account_segment_column (default `type`), country from billing_country_code
-- (else billing_country), created_at from created_date.
with

account as (
    select * from {{ source('salesforce', 'account') }}
)

select
    {{ vendor_text('account.id') }} as account_id,
    {{ vendor_text('account.name') }} as account_name,
    {{ vendor_text(vendor_optional('salesforce', 'account', segment_column, prefix='account.')) }}
        as segment,
    coalesce(
        {{ vendor_value(vendor_optional(
            'salesforce', 'account', 'billing_country_code', prefix='account.'
        )) }},
        {{ vendor_value(vendor_optional('salesforce', 'account', 'billing_country', prefix='account.')) }}
    ) as country,
    {{ vendor_text('account.created_date') }} as created_at,
    case
        when {{ vendor_row_deleted('salesforce', 'account', 'account.') }} then 'deleted'
        when {{ vendor_row_inactive('salesforce', 'account', 'account.') }} then 'history_version'
    end as exclusion_reason,
    account._fivetran_synced
from account

{{ config(enabled=var('crm_source') == 'salesforce') }}
{{ vendor_require_columns('salesforce', 'account', [
    'id', 'name', 'created_date', '_fivetran_synced',
]) }}
{%- set segment_column = var('salesforce_account_segment_column', 'type') -%}
-- One row per Salesforce account row of every connector, in the raw contract's
-- crm.accounts shape, with exclusion_reason when the adapter leaves it out: deleted
-- (is_deleted / _fivetran_deleted), history_version (_fivetran_active false). segment
-- from the column named by var salesforce_account_segment_column (default `type`),
-- country from billing_country_code (else billing_country), created_at from
-- created_date. The columns of var vendor_extra_columns (salesforce: {account: [...]})
-- as extra__<column> (text). Ids through vendor_id (several connectors:
-- `<connector>:<id>`).
{%- set extra = vendor_extra_column_list('salesforce', 'account') %}
with

account as (
    {{ vendor_union('salesforce', 'account', [
        'id', 'name', 'created_date', '_fivetran_synced',
    ], [segment_column, 'billing_country_code', 'billing_country']
        + extra + vendor_state_columns(history=true)) }}
)

select
    account._connector,
    {{ vendor_id('salesforce', 'account.id') }} as account_id,
    {{ vendor_text('account.name') }} as account_name,
    {{ vendor_text('account.' ~ segment_column) }} as segment,
    coalesce(
        {{ vendor_value('account.billing_country_code') }},
        {{ vendor_value('account.billing_country') }}
    ) as country,
    {{ vendor_text('account.created_date') }} as created_at,
    case
        when {{ vendor_row_deleted('account.') }} then 'deleted'
        when {{ vendor_row_inactive('account.') }} then 'history_version'
    end as exclusion_reason,
    {%- for column in extra %}
    account.{{ adapter.quote(column) }} as {{ adapter.quote('extra__' ~ column) }},
    {%- endfor %}
    account._fivetran_synced
from account

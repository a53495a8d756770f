{{ config(enabled=var('crm_source') == 'salesforce') }}
{{ vendor_require_columns('salesforce', 'contact', [
    'id', 'account_id', 'email', 'created_date', '_fivetran_synced',
]) }}
{%- set billing_column = var(
    'salesforce_billing_contact_column', 'is_billing_contact_c'
) -%}
-- One row per Salesforce contact row of every connector, in the raw contract's
-- crm.contacts shape, with exclusion_reason (deleted, history_version) when the adapter
-- leaves it out. full_name from name (else first and last name), phone from phone (else
-- mobile_phone), is_billing_contact from the checkbox named by var
-- salesforce_billing_contact_column (default the custom field is_billing_contact_c;
-- false for every contact when the column is absent). Ids through vendor_id (several
-- connectors: `<connector>:<id>`).
with

contact as (
    {{ vendor_union('salesforce', 'contact', [
        'id', 'account_id', 'email', 'created_date', '_fivetran_synced',
    ], ['name', 'first_name', 'last_name', 'phone', 'mobile_phone', billing_column]
        + vendor_state_columns(history=true)) }}
)

select
    contact._connector,
    {{ vendor_id('salesforce', 'contact.id') }} as contact_id,
    {{ vendor_id('salesforce', 'contact.account_id') }} as account_id,
    {{ vendor_text('contact.email') }} as email,
    coalesce(
        {{ vendor_value('contact.name') }},
        {{ vendor_full_name('contact.first_name', 'contact.last_name') }}
    ) as full_name,
    coalesce(
        {{ vendor_value('contact.phone') }},
        {{ vendor_value('contact.mobile_phone') }}
    ) as phone,
    {{ vendor_flag_text('contact.' ~ billing_column) }} as is_billing_contact,
    {{ vendor_text('contact.created_date') }} as created_at,
    case
        when {{ vendor_row_deleted('contact.') }} then 'deleted'
        when {{ vendor_row_inactive('contact.') }} then 'history_version'
    end as exclusion_reason,
    contact._fivetran_synced
from contact

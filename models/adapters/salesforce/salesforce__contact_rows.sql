{{ config(enabled=var('crm_source') == 'salesforce') }}
{{ vendor_require_columns('salesforce', 'contact', [
    'id', 'account_id', 'email', 'created_date', '_fivetran_synced',
]) }}
{%- set billing_column = var('salesforce_billing_contact_column', 'is_billing_contact_c') -%}
-- One row per Salesforce contact row, in the raw contract's crm.contacts shape, with
-- exclusion_reason (deleted, history_version) when the adapter leaves it out. full_name from
-- name (else first and last name), phone from phone (else mobile_phone), is_billing_contact
-- from the checkbox named by var salesforce_billing_contact_column (default the custom field
-- is_billing_contact_c; false for every contact when the column is absent).
with

contact as (
    select * from {{ source('salesforce', 'contact') }}
)

select
    {{ vendor_text('contact.id') }} as contact_id,
    {{ vendor_text('contact.account_id') }} as account_id,
    {{ vendor_text('contact.email') }} as email,
    coalesce(
        {{ vendor_value(vendor_optional('salesforce', 'contact', 'name', prefix='contact.')) }},
        trim({{ dbt.concat([
            "coalesce(" ~ vendor_text(vendor_optional('salesforce', 'contact', 'first_name', prefix='contact.')) ~ ", '')",
            "' '",
            "coalesce(" ~ vendor_text(vendor_optional('salesforce', 'contact', 'last_name', prefix='contact.')) ~ ", '')",
        ]) }})
    ) as full_name,
    coalesce(
        {{ vendor_value(vendor_optional('salesforce', 'contact', 'phone', prefix='contact.')) }},
        {{ vendor_value(vendor_optional('salesforce', 'contact', 'mobile_phone', prefix='contact.')) }}
    ) as phone,
    case
        when {{ vendor_flag(vendor_optional(
            'salesforce', 'contact', billing_column, fallback='false', prefix='contact.'
        )) }} then 'true'
        else 'false'
    end as is_billing_contact,
    {{ vendor_text('contact.created_date') }} as created_at,
    case
        when {{ vendor_row_deleted('salesforce', 'contact', 'contact.') }} then 'deleted'
        when {{ vendor_row_inactive('salesforce', 'contact', 'contact.') }} then 'history_version'
    end as exclusion_reason,
    contact._fivetran_synced
from contact

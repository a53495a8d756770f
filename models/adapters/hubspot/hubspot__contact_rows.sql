{{ config(enabled=var('crm_source') == 'hubspot') }}
{{ vendor_require_columns('hubspot', 'contact', [
    'id', 'property_email', 'property_createdate', '_fivetran_synced',
]) }}
{%- set billing_column = var('hubspot_billing_contact_column', 'property_is_billing_contact') -%}
{%- set has_association_table = vendor_has_table('hubspot', 'contact_company') -%}
-- depends_on: {{ source('hubspot', 'contact_company') }}
-- One row per HubSpot contact row, in the raw contract's crm.contacts shape, with
-- exclusion_reason 'deleted' (is_deleted / _fivetran_deleted) when the adapter leaves it
-- out. account_id: the contact's company through the contact_company association table
-- (the primary association, type_id 1, first; then the lowest company id) when the
-- connector lands it, else property_associatedcompanyid. full_name from first and last
-- name, phone from property_phone (else property_mobilephone), is_billing_contact from the
-- property named by var hubspot_billing_contact_column (false when absent).
with

contact as (
    select * from {{ source('hubspot', 'contact') }}
),

{% if has_association_table %}
association as (
    select
        {{ vendor_text('contact_id') }} as contact_id,
        {{ vendor_text('company_id') }} as company_id,
        row_number() over (
            partition by {{ vendor_text('contact_id') }}
            order by
                case when {{ vendor_text(vendor_optional('hubspot', 'contact_company', 'type_id')) }} = '1' then 0 else 1 end,
                {{ vendor_text('company_id') }}
        ) as association_rank
    from {{ source('hubspot', 'contact_company') }}
),
{% endif %}

typed as (
    select
        {{ vendor_text('contact.id') }} as contact_id,
        {% if has_association_table %}
        association.company_id as account_id,
        {% else %}
        {{ vendor_text(vendor_optional(
            'hubspot', 'contact', 'property_associatedcompanyid', prefix='contact.'
        )) }} as account_id,
        {% endif %}
        {{ vendor_text('contact.property_email') }} as email,
        nullif(trim({{ dbt.concat([
            "coalesce(" ~ vendor_text(vendor_optional('hubspot', 'contact', 'property_firstname', prefix='contact.')) ~ ", '')",
            "' '",
            "coalesce(" ~ vendor_text(vendor_optional('hubspot', 'contact', 'property_lastname', prefix='contact.')) ~ ", '')",
        ]) }}), '') as full_name,
        coalesce(
            {{ vendor_value(vendor_optional('hubspot', 'contact', 'property_phone', prefix='contact.')) }},
            {{ vendor_value(vendor_optional('hubspot', 'contact', 'property_mobilephone', prefix='contact.')) }}
        ) as phone,
        case
            when {{ vendor_flag(vendor_optional(
                'hubspot', 'contact', billing_column, fallback='false', prefix='contact.'
            )) }} then 'true'
            else 'false'
        end as is_billing_contact,
        {{ vendor_text('contact.property_createdate') }} as created_at,
        case
            when {{ vendor_row_deleted('hubspot', 'contact', 'contact.') }} then 'deleted'
        end as exclusion_reason,
        contact._fivetran_synced
    from contact
    {% if has_association_table %}
    left join association
        on {{ vendor_text('contact.id') }} = association.contact_id
        and association.association_rank = 1
    {% endif %}
)

select * from typed

{{ config(enabled=var('crm_source') == 'hubspot') }}
{{ vendor_require_columns('hubspot', 'contact', [
    'id', 'property_email', 'property_createdate', '_fivetran_synced',
]) }}
{%- set billing_column = var(
    'hubspot_billing_contact_column', 'property_is_billing_contact'
) -%}
{%- set without_associations = vendor_connectors_without(
    'hubspot', 'contact_company'
) -%}
-- depends_on: {{ source('hubspot', 'contact_company') }} One row per HubSpot contact
-- row of every connector, in the raw contract's crm.contacts shape, with
-- exclusion_reason 'deleted' (is_deleted / _fivetran_deleted) when the adapter leaves
-- it out. account_id: the contact's company through the contact_company association
-- table (the primary association, type_id 1, first; then the lowest company id) when
-- the connector lands it, else property_associatedcompanyid. full_name from first and
-- last name, phone from property_phone (else property_mobilephone), is_billing_contact
-- from the property named by var hubspot_billing_contact_column (false when absent).
-- Ids through vendor_id (several connectors: `<connector>:<id>`).
with

contact as (
    {{ vendor_union('hubspot', 'contact', [
        'id', 'property_email', 'property_createdate', '_fivetran_synced',
    ], [
        'property_associatedcompanyid', 'property_firstname', 'property_lastname',
        'property_phone', 'property_mobilephone', billing_column,
    ] + vendor_state_columns()) }}
),

contact_company as (
    {{ vendor_union('hubspot', 'contact_company', [
        'contact_id', 'company_id',
    ], ['type_id'], optional_table=true) }}
),

association as (
    {{ vendor_primary_association(
        'hubspot', 'contact_company', 'contact_id', 'company_id', '1'
    ) }}
),

typed as (
    select
        contact._connector,
        {{ vendor_id('hubspot', 'contact.id') }} as contact_id,
        case
            when {{ vendor_connector_in('contact._connector', without_associations) }}
                then {{ vendor_id('hubspot', 'contact.property_associatedcompanyid') }}
            else association.associated_id
        end as account_id,
        {{ vendor_text('contact.property_email') }} as email,
        nullif({{ vendor_full_name(
            'contact.property_firstname', 'contact.property_lastname'
        ) }}, '')
            as full_name,
        coalesce(
            {{ vendor_value('contact.property_phone') }},
            {{ vendor_value('contact.property_mobilephone') }}
        ) as phone,
        {{ vendor_flag_text('contact.' ~ billing_column) }} as is_billing_contact,
        {{ vendor_text('contact.property_createdate') }} as created_at,
        case
            when {{ vendor_row_deleted('contact.') }} then 'deleted'
        end as exclusion_reason,
        contact._fivetran_synced
    from contact
    left join association
        on {{ vendor_id('hubspot', 'contact.id') }} = association.owner_id
            and association.association_rank = 1
)

select * from typed

{{ config(enabled=var('crm_source') == 'hubspot') }}
-- One row per kept HubSpot company (hubspot__company_rows without exclusion reason):
-- the company columns listed in var vendor_extra_columns (hubspot: {company: [...]}) as
-- one JSON object text, vendor_attributes, which marts.customers carries (NULL when
-- none is listed).
{{ vendor_extra_attributes(
    'hubspot', 'company', 'hubspot__company_rows', 'account_id', 'crm.accounts'
) }}

{{ config(enabled=var('crm_source') == 'hubspot') }}
-- One row per kept HubSpot company (hubspot__company_rows without exclusion reason), as
-- a raw crm.accounts row (text); _batch_id `<connector>.company`.
{{ vendor_kept_rows('hubspot__company_rows', 'company', [
    'account_id', 'account_name', 'segment', 'country', 'created_at',
], 'account_id') }}

{{ config(enabled=var('crm_source') == 'hubspot') }}
-- One row per kept HubSpot contact (hubspot__contact_rows without exclusion reason), as
-- a raw crm.contacts row (text); _batch_id `<connector>.contact`.
{{ vendor_kept_rows('hubspot__contact_rows', 'contact', [
    'contact_id', 'account_id', 'email', 'full_name', 'phone', 'is_billing_contact',
    'created_at',
], 'contact_id') }}

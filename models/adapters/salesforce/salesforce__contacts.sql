{{ config(enabled=var('crm_source') == 'salesforce') }}
-- One row per kept Salesforce contact (salesforce__contact_rows without exclusion
-- reason), as a raw crm.contacts row (text); _batch_id `<connector>.contact`.
{{ vendor_kept_rows('salesforce__contact_rows', 'contact', [
    'contact_id', 'account_id', 'email', 'full_name', 'phone', 'is_billing_contact',
    'created_at',
], 'contact_id') }}

{{ config(enabled=var('crm_source') == 'salesforce') }}
-- One row per kept Salesforce account (salesforce__account_rows without exclusion
-- reason), as a raw crm.accounts row (text); _batch_id `<connector>.account`.
{{ vendor_kept_rows('salesforce__account_rows', 'account', [
    'account_id', 'account_name', 'segment', 'country', 'created_at',
], 'account_id') }}

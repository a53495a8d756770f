{{ config(enabled=var('crm_source') == 'salesforce') }}
-- One row per closed-won Salesforce opportunity (salesforce__opportunity_rows without
-- exclusion reason), as a raw crm.orders row (text); _batch_id
-- `<connector>.opportunity`.
{{ vendor_kept_rows('salesforce__opportunity_rows', 'opportunity', [
    'order_id', 'account_id', 'contact_id', 'order_type', 'ordered_at', 'amount',
    'currency', 'channel',
], 'order_id') }}

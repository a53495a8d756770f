{{ config(enabled=var('crm_source') == 'hubspot') }}
-- One row per closed-won HubSpot deal (hubspot__deal_rows without exclusion reason), as
-- a raw crm.orders row (text); _batch_id `<connector>.deal`.
{{ vendor_kept_rows('hubspot__deal_rows', 'deal', [
    'order_id', 'account_id', 'contact_id', 'order_type', 'ordered_at', 'amount',
    'currency', 'channel',
], 'order_id') }}

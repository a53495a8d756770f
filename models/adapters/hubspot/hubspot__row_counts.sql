{{ config(enabled=var('crm_source') == 'hubspot') }}
-- One row per connector and HubSpot table that feeds a raw contract table: the rows it
-- holds, so that vendor_row_conservation can check that each is staged, excluded
-- (hubspot__excluded) or quarantined by staging. vendor_table is <connector>.<table>,
-- the _batch_id of the contract rows it gives.
{{ vendor_row_counts('hubspot', [
    ('company', 'crm.accounts'),
    ('contact', 'crm.contacts'),
    ('deal', 'crm.orders'),
]) }}

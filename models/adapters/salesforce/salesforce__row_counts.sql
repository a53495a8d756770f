{{ config(enabled=var('crm_source') == 'salesforce') }}
-- One row per connector and Salesforce table that feeds a raw contract table: the rows
-- it holds (every version in history mode), so that vendor_row_conservation can check
-- that each is staged, excluded (salesforce__excluded) or quarantined by staging.
-- vendor_table is <connector>.<table>, the _batch_id of the contract rows it gives.
{{ vendor_row_counts('salesforce', [
    ('account', 'crm.accounts'),
    ('contact', 'crm.contacts'),
    ('opportunity', 'crm.orders'),
]) }}

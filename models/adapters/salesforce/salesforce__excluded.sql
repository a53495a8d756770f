{{ config(enabled=var('crm_source') == 'salesforce') }}
-- One row per Salesforce vendor row the adapter leaves out before the raw contract,
-- with why: deleted (is_deleted / _fivetran_deleted), history_version (_fivetran_active
-- false), not_closed_won (an opportunity that is open or lost). An old version's
-- vendor_id is <id>@<_fivetran_synced>; vendor_table is <connector>.<table>.
{{ vendor_excluded_rows([
    ('account', 'salesforce__account_rows', 'account_id'),
    ('contact', 'salesforce__contact_rows', 'contact_id'),
    ('opportunity', 'salesforce__opportunity_rows', 'order_id'),
]) }}

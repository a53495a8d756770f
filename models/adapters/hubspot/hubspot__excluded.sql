{{ config(enabled=var('crm_source') == 'hubspot') }}
-- One row per HubSpot vendor row the adapter leaves out before the raw contract, with
-- why: deleted (is_deleted / _fivetran_deleted), not_closed_won (a deal whose stage is
-- not won); vendor_table is <connector>.<table>. Association and pipeline-stage rows
-- feed no contract row of their own: not listed.
{{ vendor_excluded_rows([
    ('company', 'hubspot__company_rows', 'account_id'),
    ('contact', 'hubspot__contact_rows', 'contact_id'),
    ('deal', 'hubspot__deal_rows', 'order_id'),
]) }}

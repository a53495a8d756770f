{{ config(enabled=var('crm_source') == 'salesforce') }}
-- One row per kept Salesforce account (salesforce__account_rows without exclusion
-- reason): the account columns listed in var vendor_extra_columns (salesforce:
-- {account: [...]}) as one JSON object text, vendor_attributes, which marts.customers
-- carries (NULL when none is listed).
{{ vendor_extra_attributes(
    'salesforce', 'account', 'salesforce__account_rows', 'account_id', 'crm.accounts'
) }}

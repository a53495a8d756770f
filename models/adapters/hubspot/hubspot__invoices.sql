{{ config(enabled=var('crm_source') == 'hubspot') }}
-- No rows: the adapter reads no invoices from HubSpot (billing systems hold them). The
-- raw crm.invoices shape, empty, so that staging and marts build; the billing
-- touchpoint is then fed by tickets of the billing categories only
-- (docs/sources_crm_survey.md).
{{ vendor_empty_contract_table([
    'invoice_id', 'account_id', 'order_id', 'issued_at', 'due_at', 'paid_at', 'amount',
    'is_disputed',
]) }}

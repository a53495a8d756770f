with

invoices as (
    select
        invoice_id,
        account_id,
        order_id,
        issued_at,
        due_at,
        paid_at,
        amount,
        is_disputed,
        _source_row,
        _batch_id
    from {{ ref('base_crm__invoices') }}
    where quarantine_reason is null
)

select * from invoices

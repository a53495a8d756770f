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
        is_paid_as_of_date,
        days_overdue,
        is_unpaid_overdue,
        valence
    from {{ ref('int_invoices_aged_as_of_date') }}
),

final as (
    select
        invoices.invoice_id,
        invoices.account_id,
        invoices.order_id,
        invoices.issued_at,
        invoices.due_at,
        invoices.paid_at,
        cast(invoices.amount as decimal(18, 2)) as amount,
        invoices.is_disputed,
        invoices.is_paid_as_of_date,
        invoices.days_overdue,
        invoices.is_unpaid_overdue,
        invoices.valence
    from invoices
)

select * from final

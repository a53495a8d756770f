-- One row per invoice, aged as of the as-of date. An invoice is paid as of that date
-- when date(paid_at) <= as_of_date. days_overdue = calendar days from date(due_at) to
-- as_of_date for an invoice unpaid as of that date (0 when paid or not yet due). It is
-- unpaid overdue when days_overdue > unpaid_grace_days (so exactly 30 days late is not
-- yet an irritation). Valence: negative when disputed or unpaid overdue, else neutral.
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
        is_disputed
    from {{ ref('stg_crm__invoices') }}
),

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

paid as (
    select
        invoices.invoice_id,
        invoices.account_id,
        invoices.order_id,
        invoices.issued_at,
        invoices.due_at,
        invoices.paid_at,
        invoices.amount,
        invoices.is_disputed,
        coalesce(cast(invoices.paid_at as date) <= as_of.as_of_date, false)
            as is_paid_as_of_date,
        {{ dbt.datediff('cast(invoices.due_at as date)', 'as_of.as_of_date', 'day') }}
            as days_past_due
    from invoices
    cross join as_of
),

aged as (
    select
        paid.invoice_id,
        paid.account_id,
        paid.order_id,
        paid.issued_at,
        paid.due_at,
        paid.paid_at,
        paid.amount,
        paid.is_disputed,
        paid.is_paid_as_of_date,
        cast(
            case
                when paid.is_paid_as_of_date or paid.days_past_due < 0 then 0
                else paid.days_past_due
            end as integer
        ) as days_overdue,
        not paid.is_paid_as_of_date
        and paid.days_past_due > {{ var('unpaid_grace_days') | int }}
            as is_unpaid_overdue
    from paid
),

final as (
    select
        aged.invoice_id,
        aged.account_id,
        aged.order_id,
        aged.issued_at,
        aged.due_at,
        aged.paid_at,
        aged.amount,
        aged.is_disputed,
        aged.is_paid_as_of_date,
        aged.days_overdue,
        aged.is_unpaid_overdue,
        {{ invoice_valence('aged.is_disputed', 'aged.is_unpaid_overdue') }} as valence
    from aged
)

select * from final

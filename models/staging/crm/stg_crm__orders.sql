with

orders as (
    select
        order_id,
        account_id,
        contact_id,
        order_type,
        ordered_at,
        amount,
        currency,
        channel_code,
        channel,
        _source_row,
        _batch_id
    from {{ ref('base_crm__orders') }}
    where quarantine_reason is null
)

select * from orders

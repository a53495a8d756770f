with

orders as (
    select
        order_id,
        account_id,
        person_id,
        order_type,
        touchpoint_code,
        ordered_at,
        amount,
        currency,
        channel,
        is_refund,
        is_in_revenue_window
    from {{ ref('int_orders_mapped_to_touchpoints') }}
),

final as (
    select
        orders.order_id,
        orders.account_id,
        orders.person_id,
        orders.order_type,
        orders.touchpoint_code,
        orders.ordered_at,
        cast(orders.amount as decimal(18, 2)) as amount,
        orders.currency,
        orders.channel,
        orders.is_refund,
        orders.is_in_revenue_window
    from orders
)

select * from final

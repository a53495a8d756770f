-- One row per order (purchases, renewals and refunds), with its touchpoint (by order
-- type), its person (the salted id of its contact, when it names one), whether it is a
-- refund (a negative amount) and whether it falls in the revenue_12m window: as_of_date
-- - 364 days <= date(ordered_at) <= as_of_date.
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
        channel
    from {{ ref('stg_crm__orders') }}
),

order_type_touchpoints as (
    select
        order_type,
        touchpoint_code
    from {{ ref('order_type_touchpoints') }}
),

as_of as (
    select
        as_of_date,
        revenue_window_start_date
    from {{ ref('int_as_of_date') }}
),

mapped as (
    select
        orders.order_id,
        orders.account_id,
        orders.contact_id,
        case
            when orders.contact_id is not null
                then {{ salted_person_id('contact', 'orders.contact_id') }}
        end as person_id,
        orders.order_type,
        order_type_touchpoints.touchpoint_code,
        orders.ordered_at,
        orders.amount,
        orders.currency,
        orders.channel_code,
        orders.channel,
        orders.amount < 0 as is_refund,
        cast(orders.ordered_at as date) >= as_of.revenue_window_start_date
        and cast(orders.ordered_at as date) <= as_of.as_of_date as is_in_revenue_window
    from orders
    left join order_type_touchpoints
        on orders.order_type = order_type_touchpoints.order_type
    cross join as_of
)

select * from mapped

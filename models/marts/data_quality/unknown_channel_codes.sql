with

orders as (
    select
        channel_code,
        channel
    from {{ ref('stg_crm__orders') }}
),

tickets as (
    select
        channel_code,
        channel
    from {{ ref('stg_ticketing__tickets') }}
),

ticket_events as (
    select
        channel_code,
        channel
    from {{ ref('stg_ticketing__ticket_events') }}
),

responses as (
    select
        channel_code,
        channel
    from {{ ref('stg_survey__responses') }}
),

unioned as (
    select
        'crm.orders' as table_name,
        orders.channel_code
    from orders
    where orders.channel = 'unknown'
    union all
    select
        'ticketing.tickets' as table_name,
        tickets.channel_code
    from tickets
    where tickets.channel = 'unknown'
    union all
    select
        'ticketing.ticket_events' as table_name,
        ticket_events.channel_code
    from ticket_events
    where ticket_events.channel = 'unknown'
    union all
    select
        'survey.responses' as table_name,
        responses.channel_code
    from responses
    where responses.channel = 'unknown'
),

final as (
    select
        unioned.table_name,
        -- a blank or missing code is NULL here
        unioned.channel_code,
        cast(count(*) as bigint) as rows
    from unioned
    group by
        unioned.table_name,
        unioned.channel_code
)

select * from final

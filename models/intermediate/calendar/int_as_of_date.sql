-- The date the warehouse describes: the dbt var as_of_date when set, else the UTC date
-- of the latest event among valid rows (never the wall clock, so a rebuild gives the
-- same figures). due_at is a deadline, not an event, and is left out.
with

orders as (
    select ordered_at from {{ ref('stg_crm__orders') }}
),

invoices as (
    select
        issued_at,
        paid_at
    from {{ ref('stg_crm__invoices') }}
),

tickets as (
    select
        created_at,
        solved_at
    from {{ ref('stg_ticketing__tickets') }}
),

ticket_events as (
    select created_at from {{ ref('stg_ticketing__ticket_events') }}
),

responses as (
    select submitted_at from {{ ref('stg_survey__responses') }}
),

event_times as (
    select orders.ordered_at as event_at from orders
    union all
    select invoices.issued_at as event_at from invoices
    union all
    select invoices.paid_at as event_at from invoices
    union all
    select tickets.created_at as event_at from tickets
    union all
    select tickets.solved_at as event_at from tickets
    union all
    select ticket_events.created_at as event_at from ticket_events
    union all
    select responses.submitted_at as event_at from responses
),

latest_event as (
    select max(event_times.event_at) as latest_event_at
    from event_times
),

as_of as (
    select
        {%- if var('as_of_date') %}
        cast('{{ var("as_of_date") }}' as date) as as_of_date,
        'var' as as_of_source,
        {%- else %}
        cast(latest_event.latest_event_at as date) as as_of_date,
        'latest_event' as as_of_source,
        {%- endif %}
        latest_event.latest_event_at
    from latest_event
),

final as (
    select
        as_of.as_of_date,
        as_of.as_of_source,
        as_of.latest_event_at,
        -- the as-of date runs to its end: the first instant after it
        {{ dbt.dateadd('day', 1, 'cast(as_of.as_of_date as timestamp)') }}
            as as_of_end_at,
        -- tickets created at or after this instant cannot yet know whether a repeat
        -- follows
        {{ dbt.dateadd(
            'hour',
            -24 * (var('repeat_window_days') | int),
            dbt.dateadd('day', 1, 'cast(as_of.as_of_date as timestamp)')
        ) }} as maturity_cutoff_at,
        -- revenue_12m covers the 365 dates from as_of_date - 364 days to as_of_date
        cast(
            {{ dbt.dateadd('day', -364, 'cast(as_of.as_of_date as timestamp)') }}
            as date
        ) as revenue_window_start_date
    from as_of
)

select * from final

-- One row per touchpoint event: every order, invoice, ticket and survey response, with
-- its account, person, channel, touchpoint (journey stage and CX factor from the
-- catalog), valence and time. Invoices feed the billing touchpoint and carry no person
-- and no channel (the raw contract has none); they occur when issued. Tickets occur
-- when created, orders when ordered, responses when submitted. Valence rules are the
-- macros'.
with

orders as (
    select
        order_id,
        account_id,
        person_id,
        channel,
        touchpoint_code,
        ordered_at
    from {{ ref('int_orders_mapped_to_touchpoints') }}
),

invoices as (
    select
        invoice_id,
        account_id,
        issued_at,
        valence
    from {{ ref('int_invoices_aged_as_of_date') }}
),

tickets as (
    select
        ticket_id,
        channel,
        category,
        created_at
    from {{ ref('stg_ticketing__tickets') }}
),

ticket_episodes as (
    select
        ticket_id,
        person_id,
        account_id,
        is_repeat_contact
    from {{ ref('int_tickets_grouped_into_episodes') }}
),

ticket_timings as (
    select
        ticket_id,
        is_reopened
    from {{ ref('int_ticket_timings') }}
),

ticket_category_touchpoints as (
    select
        category,
        touchpoint_code
    from {{ ref('ticket_category_touchpoints') }}
),

survey_responses as (
    select
        response_id,
        account_id,
        person_id,
        channel,
        touchpoint_code,
        valence,
        submitted_at
    from {{ ref('int_survey_responses_scored') }}
),

touchpoint_catalog as (
    select
        touchpoint_code,
        journey_stage,
        cx_factor
    from {{ ref('touchpoint_catalog') }}
),

order_events as (
    select
        'order' as event_type,
        orders.order_id as source_id,
        orders.account_id,
        orders.person_id,
        orders.channel,
        orders.touchpoint_code,
        'neutral' as valence,
        orders.ordered_at as occurred_at
    from orders
),

invoice_events as (
    select
        'invoice' as event_type,
        invoices.invoice_id as source_id,
        invoices.account_id,
        cast(null as {{ dbt.type_string() }}) as person_id,
        cast(null as {{ dbt.type_string() }}) as channel,
        'billing' as touchpoint_code,
        invoices.valence,
        invoices.issued_at as occurred_at
    from invoices
),

ticket_events as (
    select
        'ticket' as event_type,
        tickets.ticket_id as source_id,
        ticket_episodes.account_id,
        ticket_episodes.person_id,
        tickets.channel,
        ticket_category_touchpoints.touchpoint_code,
        {{ ticket_valence(
            'ticket_timings.is_reopened', 'ticket_episodes.is_repeat_contact'
        ) }}
            as valence,
        tickets.created_at as occurred_at
    from tickets
    inner join ticket_episodes
        on tickets.ticket_id = ticket_episodes.ticket_id
    inner join ticket_timings
        on tickets.ticket_id = ticket_timings.ticket_id
    left join ticket_category_touchpoints
        on tickets.category = ticket_category_touchpoints.category
),

response_events as (
    select
        'survey_response' as event_type,
        survey_responses.response_id as source_id,
        survey_responses.account_id,
        survey_responses.person_id,
        survey_responses.channel,
        survey_responses.touchpoint_code,
        survey_responses.valence,
        survey_responses.submitted_at as occurred_at
    from survey_responses
),

unioned as (
    select
        order_events.event_type,
        order_events.source_id,
        order_events.account_id,
        order_events.person_id,
        order_events.channel,
        order_events.touchpoint_code,
        order_events.valence,
        order_events.occurred_at
    from order_events
    union all
    select
        invoice_events.event_type,
        invoice_events.source_id,
        invoice_events.account_id,
        invoice_events.person_id,
        invoice_events.channel,
        invoice_events.touchpoint_code,
        invoice_events.valence,
        invoice_events.occurred_at
    from invoice_events
    union all
    select
        ticket_events.event_type,
        ticket_events.source_id,
        ticket_events.account_id,
        ticket_events.person_id,
        ticket_events.channel,
        ticket_events.touchpoint_code,
        ticket_events.valence,
        ticket_events.occurred_at
    from ticket_events
    union all
    select
        response_events.event_type,
        response_events.source_id,
        response_events.account_id,
        response_events.person_id,
        response_events.channel,
        response_events.touchpoint_code,
        response_events.valence,
        response_events.occurred_at
    from response_events
),

final as (
    select
        {{ dbt.concat(["unioned.event_type", "':'", "unioned.source_id"]) }}
            as event_id,
        unioned.event_type,
        unioned.source_id,
        unioned.account_id,
        unioned.person_id,
        unioned.channel,
        unioned.touchpoint_code,
        touchpoint_catalog.journey_stage,
        touchpoint_catalog.cx_factor,
        unioned.valence,
        unioned.occurred_at
    from unioned
    left join touchpoint_catalog
        on unioned.touchpoint_code = touchpoint_catalog.touchpoint_code
)

select * from final

-- The closed loop: every customer signal that calls for a call back, with who to
-- call (the CRM contact id and account id: staff look them up in their own systems;
-- never an email or a name), what they said, the account's tier and revenue, open
-- tickets, the owner of the touchpoint concerned, a due-by time, and whether the loop
-- was closed: an agent's public reply to that person, or a new ticket of theirs, within
-- closed_loop_window_days after the signal. Signals: a detractor response (nps <= 6 or
-- csat <= 2) and a contact episode that reaches at_risk_contacts tickets (the customer
-- had to come back again and again).
{%- set window_days = var('closed_loop_window_days') | int %}
{%- set at_risk = var('at_risk_contacts') | int %}
with

survey_responses as (
    select
        response_id,
        person_id,
        account_id,
        touchpoint_code,
        submitted_at,
        nps_value,
        csat_value
    from {{ ref('survey_responses') }}
),

tickets as (
    select
        ticket_id,
        person_id,
        account_id,
        touchpoint_code,
        created_at,
        is_solved,
        episode_id,
        episode_ticket_number
    from {{ ref('tickets') }}
),

ticket_events as (
    select
        ticket_id,
        event_type,
        author_role,
        created_at
    from {{ ref('ticket_events') }}
),

people as (
    select
        person_id,
        contact_id
    from {{ ref('int_people_resolved_to_accounts') }}
),

customers as (
    select
        account_id,
        tier,
        revenue_12m
    from {{ ref('customers') }}
),

touchpoints as (
    select
        touchpoint_code,
        owner
    from {{ ref('touchpoints') }}
),

as_of as (
    select as_of_date from {{ ref('warehouse_as_of') }}
),

detractor_signals as (
    select
        {{ dbt.concat(["'response:'", 'survey_responses.response_id']) }}
            as worklist_id,
        'detractor_response' as signal,
        survey_responses.response_id as source_id,
        survey_responses.person_id,
        survey_responses.account_id,
        survey_responses.touchpoint_code,
        survey_responses.submitted_at as signalled_at,
        case
            when survey_responses.nps_value is not null then 'nps'
            else 'csat'
        end as score_measure,
        coalesce(survey_responses.nps_value, survey_responses.csat_value) as score_value
    from survey_responses
    cross join as_of
    where (survey_responses.nps_value <= 6 or survey_responses.csat_value <= 2)
        and cast(survey_responses.submitted_at as date) <= as_of.as_of_date
),

at_risk_signals as (
    select
        tickets.episode_id as worklist_id,  -- already `episode:<first ticket_id>`
        'at_risk_episode' as signal,
        tickets.episode_id as source_id,
        tickets.person_id,
        tickets.account_id,
        tickets.touchpoint_code,
        tickets.created_at as signalled_at,
        cast(null as {{ dbt.type_string() }}) as score_measure,
        cast(null as {{ type_double() }}) as score_value
    from tickets
    cross join as_of
    where tickets.episode_ticket_number = {{ at_risk }}
        and cast(tickets.created_at as date) <= as_of.as_of_date
),

signals as (
    select * from detractor_signals
    union all
    select * from at_risk_signals
),

-- what reaches the person after a signal: an agent's public reply on any of their
-- tickets, or a new ticket of theirs
contacts_made as (
    select
        tickets.person_id,
        ticket_events.created_at as contacted_at,
        'agent_reply' as contact_kind
    from ticket_events
    inner join tickets
        on ticket_events.ticket_id = tickets.ticket_id
    where ticket_events.event_type = 'public_reply'
        and ticket_events.author_role = 'agent'
    union all
    select
        tickets.person_id,
        tickets.created_at as contacted_at,
        'new_ticket' as contact_kind
    from tickets
),

first_contact as (
    select
        signals.worklist_id,
        min(contacts_made.contacted_at) as closed_at
    from signals
    inner join contacts_made
        on signals.person_id = contacts_made.person_id
            and signals.signalled_at < contacts_made.contacted_at
            and contacts_made.contacted_at <= {{ dbt.dateadd(
            'day', window_days, 'signals.signalled_at'
        ) }}
    group by signals.worklist_id
),

closing_kind as (
    select
        first_contact.worklist_id,
        first_contact.closed_at,
        min(contacts_made.contact_kind) as closed_by
    from first_contact
    inner join signals
        on first_contact.worklist_id = signals.worklist_id
    inner join contacts_made
        on signals.person_id = contacts_made.person_id
            and first_contact.closed_at = contacts_made.contacted_at
    group by first_contact.worklist_id, first_contact.closed_at
),

open_tickets as (
    select
        tickets.person_id,
        count(*) as open_tickets
    from tickets
    cross join as_of
    where not tickets.is_solved
        and cast(tickets.created_at as date) <= as_of.as_of_date
    group by tickets.person_id
),

final as (
    select
        signals.worklist_id,
        signals.signal,
        signals.source_id,
        signals.person_id,
        people.contact_id,
        signals.account_id,
        coalesce(customers.tier, 'unmatched') as tier,
        cast(customers.revenue_12m as {{ type_double() }}) as revenue_12m,
        signals.score_measure,
        cast(signals.score_value as {{ type_double() }}) as score_value,
        cast(coalesce(open_tickets.open_tickets, 0) as bigint) as open_tickets,
        signals.touchpoint_code,
        touchpoints.owner,
        signals.signalled_at,
        {{ dbt.dateadd('day', window_days, 'signals.signalled_at') }} as due_by,
        closing_kind.closed_at is not null as is_closed,
        closing_kind.closed_at,
        closing_kind.closed_by,
        -- in seconds: engines count minute boundaries differently (Spark, DuckDB)
        cast(
            {{ dbt.datediff(
                'signals.signalled_at', 'closing_kind.closed_at', 'second'
            ) }}
            as {{ type_double() }}
        ) / 3600.0 as hours_to_close,
        case
            when closing_kind.closed_at is not null then 'closed'
            when as_of.as_of_date
                > cast(
                    {{ dbt.dateadd('day', window_days, 'signals.signalled_at') }}
                    as date
                )
                then 'missed'
            else 'open'
        end as loop_status
    from signals
    cross join as_of
    left join people
        on signals.person_id = people.person_id
    left join customers
        on signals.account_id = customers.account_id
    left join touchpoints
        on signals.touchpoint_code = touchpoints.touchpoint_code
    left join open_tickets
        on signals.person_id = open_tickets.person_id
    left join closing_kind
        on signals.worklist_id = closing_kind.worklist_id
)

select * from final

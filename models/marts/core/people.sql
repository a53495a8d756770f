with

people as (
    select
        person_id,
        account_id,
        is_matched,
        is_billing_contact,
        person_role,
        created_at
    from {{ ref('int_people_resolved_to_accounts') }}
),

ticket_episodes as (
    select
        ticket_id,
        person_id
    from {{ ref('int_tickets_grouped_into_episodes') }}
),

survey_responses as (
    select
        response_id,
        person_id
    from {{ ref('int_survey_responses_scored') }}
),

tickets_per_person as (
    select
        ticket_episodes.person_id,
        count(*) as tickets
    from ticket_episodes
    group by ticket_episodes.person_id
),

responses_per_person as (
    select
        survey_responses.person_id,
        count(*) as survey_responses
    from survey_responses
    group by survey_responses.person_id
),

final as (
    select
        people.person_id,
        people.account_id,
        people.is_matched,
        people.is_billing_contact,
        people.person_role,
        people.created_at,
        cast(coalesce(tickets_per_person.tickets, 0) as bigint) as tickets,
        cast(coalesce(responses_per_person.survey_responses, 0) as bigint)
            as survey_responses
    from people
    left join tickets_per_person
        on people.person_id = tickets_per_person.person_id
    left join responses_per_person
        on people.person_id = responses_per_person.person_id
)

select * from final

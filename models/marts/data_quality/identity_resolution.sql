with

tickets as (
    select
        ticket_id,
        person_id,
        is_matched
    from {{ ref('int_tickets_grouped_into_episodes') }}
),

survey_responses as (
    select
        response_id,
        person_id,
        is_matched
    from {{ ref('int_survey_responses_scored') }}
),

ticket_matches as (
    select
        'tickets' as source_name,
        count(*) as records,
        sum(case when tickets.is_matched then 1 else 0 end) as matched,
        count(distinct case when not tickets.is_matched then tickets.person_id end)
            as unmatched_people
    from tickets
),

response_matches as (
    select
        'survey_responses' as source_name,
        count(*) as records,
        sum(case when survey_responses.is_matched then 1 else 0 end) as matched,
        count(
            distinct case
                when not survey_responses.is_matched then survey_responses.person_id
            end
        ) as unmatched_people
    from survey_responses
),

unioned as (
    select
        ticket_matches.source_name,
        ticket_matches.records,
        ticket_matches.matched,
        ticket_matches.unmatched_people
    from ticket_matches
    union all
    select
        response_matches.source_name,
        response_matches.records,
        response_matches.matched,
        response_matches.unmatched_people
    from response_matches
),

final as (
    select
        unioned.source_name,
        cast(unioned.records as bigint) as records,
        cast(coalesce(unioned.matched, 0) as bigint) as matched,
        cast(unioned.records - coalesce(unioned.matched, 0) as bigint) as unmatched,
        cast(unioned.unmatched_people as bigint) as unmatched_people,
        case
            when unioned.records > 0
                then 100 * cast(coalesce(unioned.matched, 0) as {{ type_double() }})
                    / unioned.records
        end as match_rate
    from unioned
)

select * from final

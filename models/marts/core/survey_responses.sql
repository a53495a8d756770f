with

survey_responses as (
    select
        response_id,
        survey_id,
        survey_kind,
        touchpoint_code,
        person_id,
        account_id,
        is_matched,
        ticket_id,
        order_id,
        channel,
        submitted_at,
        nps_value,
        csat_value,
        ces_value,
        valence
    from {{ ref('int_survey_responses_scored') }}
),

touchpoint_catalog as (
    select
        touchpoint_code,
        journey_stage
    from {{ ref('touchpoint_catalog') }}
),

final as (
    select
        survey_responses.response_id,
        survey_responses.survey_id,
        survey_responses.survey_kind,
        survey_responses.touchpoint_code,
        touchpoint_catalog.journey_stage,
        survey_responses.person_id,
        survey_responses.account_id,
        survey_responses.is_matched,
        survey_responses.ticket_id,
        survey_responses.order_id,
        survey_responses.channel,
        survey_responses.submitted_at,
        survey_responses.nps_value,
        survey_responses.csat_value,
        survey_responses.ces_value,
        survey_responses.valence
    from survey_responses
    left join touchpoint_catalog
        on survey_responses.touchpoint_code = touchpoint_catalog.touchpoint_code
)

select * from final

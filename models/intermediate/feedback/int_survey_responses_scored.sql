-- One row per survey response, with its touchpoint, its person and account (by the
-- respondent's normalised email), its nps, csat and ces scores and its valence.
-- Touchpoint: the survey kind's touchpoint from the seed (relationship ->
-- relationship), else the survey's own touchpoint_code (transactional surveys). Should
-- a response answer two questions of one measure, the question with the lowest
-- question_id gives the score. Valence: that of the nps answer, else csat, else ces,
-- else neutral (macro).
with

responses as (
    select
        response_id,
        survey_id,
        respondent_email,
        ticket_id,
        order_id,
        channel_code,
        channel,
        submitted_at
    from {{ ref('stg_survey__responses') }}
),

surveys as (
    select
        survey_id,
        survey_kind,
        touchpoint_code
    from {{ ref('stg_survey__surveys') }}
),

survey_kind_touchpoints as (
    select
        survey_kind,
        touchpoint_code
    from {{ ref('survey_kind_touchpoints') }}
),

answers as (
    select
        response_id,
        question_id,
        measure,
        numeric_value
    from {{ ref('stg_survey__answers') }}
),

emails as (
    select
        email,
        person_id,
        account_id,
        is_matched
    from {{ ref('int_emails_resolved_to_people') }}
),

score_answers_ranked as (
    select
        answers.response_id,
        answers.measure,
        answers.numeric_value,
        row_number() over (
            partition by answers.response_id, answers.measure
            order by answers.question_id
        ) as measure_rank
    from answers
    where answers.measure in ('nps', 'csat', 'ces')
        and answers.numeric_value is not null
),

scores as (
    select
        score_answers_ranked.response_id,
        max(
            case
                when score_answers_ranked.measure = 'nps'
                    then cast(score_answers_ranked.numeric_value as integer)
            end
        ) as nps_value,
        max(
            case
                when score_answers_ranked.measure = 'csat'
                    then cast(score_answers_ranked.numeric_value as integer)
            end
        ) as csat_value,
        max(
            case
                when score_answers_ranked.measure = 'ces'
                    then cast(score_answers_ranked.numeric_value as integer)
            end
        ) as ces_value
    from score_answers_ranked
    where score_answers_ranked.measure_rank = 1
    group by score_answers_ranked.response_id
),

scored as (
    select
        responses.response_id,
        responses.survey_id,
        surveys.survey_kind,
        coalesce(survey_kind_touchpoints.touchpoint_code, surveys.touchpoint_code)
            as touchpoint_code,
        emails.person_id,
        emails.account_id,
        coalesce(emails.is_matched, false) as is_matched,
        responses.ticket_id,
        responses.order_id,
        responses.channel_code,
        responses.channel,
        responses.submitted_at,
        scores.nps_value,
        scores.csat_value,
        scores.ces_value,
        {{ survey_response_valence(
            'scores.nps_value', 'scores.csat_value', 'scores.ces_value'
        ) }}
            as valence
    from responses
    inner join surveys
        on responses.survey_id = surveys.survey_id
    left join survey_kind_touchpoints
        on surveys.survey_kind = survey_kind_touchpoints.survey_kind
    left join emails
        on responses.respondent_email = emails.email
    left join scores
        on responses.response_id = scores.response_id
)

select * from scored

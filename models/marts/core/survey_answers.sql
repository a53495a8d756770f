with

answers as (
    select
        response_id,
        question_id,
        measure,
        numeric_value,
        text_value
    from {{ ref('stg_survey__answers') }}
),

questions as (
    select
        question_id,
        factor
    from {{ ref('stg_survey__questions') }}
),

survey_responses as (
    select
        response_id,
        survey_id,
        touchpoint_code,
        person_id,
        account_id,
        channel,
        submitted_at
    from {{ ref('int_survey_responses_scored') }}
),

final as (
    select
        {{ dbt.concat(["answers.response_id", "':'", "answers.question_id"]) }}
            as answer_id,
        answers.response_id,
        answers.question_id,
        survey_responses.survey_id,
        answers.measure,
        questions.factor,
        cast(answers.numeric_value as integer) as numeric_value,
        answers.text_value is not null as has_text,
        survey_responses.submitted_at,
        survey_responses.touchpoint_code,
        survey_responses.channel,
        survey_responses.person_id,
        survey_responses.account_id
    from answers
    inner join survey_responses
        on answers.response_id = survey_responses.response_id
    left join questions
        on answers.question_id = questions.question_id
)

select * from final

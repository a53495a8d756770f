-- Incremental on DuckDB and PostgreSQL (delete+insert on answer_id); a table rebuilt in
-- full on Spark, whose default (parquet) tables take neither merge nor delete.
--
-- Every column comes from the answer, its question or its response, and none from
-- another answer; but any can change for an old answer (an updated row, a response
-- whose respondent now matches a contact, a question re-assigned to a factor). An
-- incremental run therefore compares every answer with the built row and writes the
-- answers that are new or differ, those submitted in the lookback window (var
-- incremental_lookback_days before the latest answer built), and a tombstone per answer
-- that is gone (its answer_id, every other column NULL), which the post-hook deletes.
-- The rows left alone equal a full build's. A change to this model's SQL still needs
-- --full-refresh.
{{ config(**incremental_fact_config('answer_id', tombstone_column='response_id')) }}

{%- set answer_columns = [
    'response_id',
    'question_id',
    'survey_id',
    'measure',
    'factor',
    'numeric_value',
    'has_text',
    'submitted_at',
    'touchpoint_code',
    'channel',
    'person_id',
    'account_id',
] %}

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

{{ incremental_fact_rows('answer_id', answer_columns, 'submitted_at') }}

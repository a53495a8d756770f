with

questions as (
    select
        question_id,
        survey_id,
        measure,
        factor,
        question_text,
        _source_row,
        _batch_id
    from {{ ref('base_survey__questions') }}
    where quarantine_reason is null
)

select * from questions

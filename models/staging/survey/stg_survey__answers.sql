with

answers as (
    select
        response_id,
        question_id,
        measure,
        numeric_value,
        text_value,
        _source_row,
        _batch_id
    from {{ ref('base_survey__answers') }}
    where quarantine_reason is null
)

select * from answers

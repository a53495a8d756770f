with

surveys as (
    select
        survey_id,
        survey_name,
        survey_kind,
        touchpoint_code,
        _source_row,
        _batch_id
    from {{ ref('base_survey__surveys') }}
    where quarantine_reason is null
)

select * from surveys

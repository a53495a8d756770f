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
        submitted_at,
        _source_row,
        _batch_id
    from {{ ref('base_survey__responses') }}
    where quarantine_reason is null
)

select * from responses

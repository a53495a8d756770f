-- Rows of survey.responses that break the raw contract, exactly as delivered, with the
-- reason (the first rule broken, in the order of base_survey__responses).
with

source as (
    select * from {{ system_source('survey', 'responses') }}
),

reasons as (
    select
        _source_row,
        _batch_id,
        quarantine_reason
    from {{ ref('base_survey__responses') }}
    where quarantine_reason is not null
),

quarantined as (
    select
        reasons.quarantine_reason,
        source.*
    from source
    inner join reasons
        on source._batch_id = reasons._batch_id
            and source._source_row = reasons._source_row
)

select * from quarantined

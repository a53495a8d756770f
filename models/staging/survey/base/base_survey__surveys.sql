-- Every delivered survey row, typed, with the contract rule it breaks (if any).
with

source as (
    select * from {{ system_source('survey', 'surveys') }}
),

touchpoints as (
    select touchpoint_code from {{ ref('touchpoint_catalog') }}
),

typed as (
    select
        source._source_row,
        source._batch_id,
        nullif(trim(source.survey_id), '') as survey_id,
        trim(source.survey_name) as survey_name,
        {{ normalize_code('source.survey_kind') }} as survey_kind,
        {{ normalize_code('source.touchpoint_code') }} as touchpoint_code,
        case
            when {{ normalize_code('source.survey_kind') }} is null
                or {{ normalize_code('source.survey_kind') }}
                not in ('relationship', 'transactional')
                then 'invalid_code'
            when {{ normalize_code('source.survey_kind') }} = 'transactional'
                and {{ normalize_code('source.touchpoint_code') }} is null
                then 'missing_reference'
            when {{ normalize_code('source.touchpoint_code') }} is not null
                and touchpoints.touchpoint_code is null
                then 'orphan_reference'
        end as row_issue
    from source
    left join touchpoints
        on {{ normalize_code('source.touchpoint_code') }} = touchpoints.touchpoint_code
),

ranked as (
    select
        typed.*,
        {{ key_occurrence('typed', ['survey_id']) }} as key_occurrence
    from typed
),

checked as (
    select
        ranked._source_row,
        ranked._batch_id,
        ranked.survey_id,
        ranked.survey_name,
        ranked.survey_kind,
        ranked.touchpoint_code,
        {{ quarantine_reason('ranked', 'survey_id') }} as quarantine_reason
    from ranked
)

select * from checked

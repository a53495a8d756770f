-- Every delivered survey row, typed, with the contract rule it breaks (if any).
{%- set source_relation = system_source('survey', 'surveys') %}
{{ config(post_hook="{{ staging_delete_gone_batches('survey', 'surveys') }}") }}
with

{% if staging_is_incremental() -%}
{{ staging_changes(
    source_relation,
    'survey_id',
    "nullif(trim(delivered.survey_id), '')",
) }}

{% endif -%}
source as (
    select * from {{ source_relation }} as delivered
    {%- if staging_is_incremental() %}
    where {{ staging_rows_to_judge("nullif(trim(delivered.survey_id), '')") }}
    {%- endif %}
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
        {{ quarantine_reason('ranked', 'survey_id') }} as quarantine_reason,
        {{ staged_at() }} as _staged_at
    from ranked
)

{{ staging_select('checked', source_relation, 'survey_id') }}

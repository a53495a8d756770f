-- Every delivered question row, typed, with the contract rule it breaks (if any).
-- depends_on: {{ ref('base_survey__surveys') }}
{%- set source_relation = system_source('survey', 'questions') %}
{{ config(post_hook="{{ staging_delete_gone_batches('survey', 'questions') }}") }}
with

{% if staging_is_incremental() -%}
{{ staging_changes(
    source_relation,
    'question_id',
    "nullif(trim(delivered.question_id), '')",
    [
        {'column': 'survey_id', 'model': 'base_survey__surveys', 'key': 'survey_id'},
    ],
) }}

{% endif -%}
source as (
    select * from {{ source_relation }} as delivered
    {%- if staging_is_incremental() %}
    where {{ staging_rows_to_judge("nullif(trim(delivered.question_id), '')") }}
    {%- endif %}
),

surveys as (
    select survey_id from {{ ref('stg_survey__surveys') }}
),

typed as (
    select
        source._source_row,
        source._batch_id,
        nullif(trim(source.question_id), '') as question_id,
        nullif(trim(source.survey_id), '') as survey_id,
        {{ normalize_code('source.measure') }} as measure,
        {{ normalize_code('source.factor') }} as factor,
        trim(source.question_text) as question_text,
        case
            when {{ normalize_code('source.measure') }} is null
                or {{ normalize_code('source.measure') }} not in (
                    'nps', 'csat', 'ces', 'importance', 'performance', 'comment'
                )
                or (
                    {{ normalize_code('source.factor') }} is not null
                    and {{ normalize_code('source.factor') }}
                    not in ('product_service', 'interaction', 'brand')
                )
                or (
                    {{ normalize_code('source.measure') }} in (
                        'importance', 'performance'
                    )
                    and {{ normalize_code('source.factor') }} is null
                )
                then 'invalid_code'
            when nullif(trim(source.survey_id), '') is null then 'missing_reference'
            when surveys.survey_id is null then 'orphan_reference'
        end as row_issue
    from source
    left join surveys
        on nullif(trim(source.survey_id), '') = surveys.survey_id
),

ranked as (
    select
        typed.*,
        {{ key_occurrence('typed', ['question_id']) }} as key_occurrence
    from typed
),

checked as (
    select
        ranked._source_row,
        ranked._batch_id,
        ranked.question_id,
        ranked.survey_id,
        ranked.measure,
        ranked.factor,
        ranked.question_text,
        {{ quarantine_reason('ranked', 'question_id') }} as quarantine_reason,
        {{ staged_at() }} as _staged_at
    from ranked
)

{{ staging_select('checked', source_relation, 'question_id') }}

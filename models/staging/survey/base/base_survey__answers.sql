-- Every delivered answer row, typed, with the contract rule it breaks (if any).
-- Scales: nps 0-10, csat 1-5, ces 1-7, importance and performance 1-5, all whole
-- numbers; a comment carries text only.
-- depends_on: {{ ref('base_survey__responses') }}
-- depends_on: {{ ref('base_survey__questions') }}
{%- set source_relation = system_source('survey', 'answers') %}
{{ config(post_hook="{{ staging_delete_gone_batches('survey', 'answers') }}") }}
with

{% if staging_is_incremental() -%}
{{ staging_changes(
    source_relation,
    'response_id',
    "nullif(trim(delivered.response_id), '')",
    [
        {'column': 'response_id', 'model': 'base_survey__responses', 'key': 'response_id'},
        {'column': 'question_id', 'model': 'base_survey__questions', 'key': 'question_id'},
    ],
) }}

{% endif -%}
source as (
    select * from {{ source_relation }} as delivered
    {%- if staging_is_incremental() %}
    where {{ staging_rows_to_judge("nullif(trim(delivered.response_id), '')") }}
    {%- endif %}
),

responses as (
    select response_id from {{ ref('stg_survey__responses') }}
),

questions as (
    select
        question_id,
        measure
    from {{ ref('stg_survey__questions') }}
),

typed as (
    select
        source._source_row,
        source._batch_id,
        nullif(trim(source.response_id), '') as response_id,
        nullif(trim(source.question_id), '') as question_id,
        questions.measure,
        {{ try_cast_decimal('source.numeric_value', 18, 4) }} as numeric_value,
        nullif(trim(source.text_value), '') as text_value,
        case
            when nullif(trim(source.response_id), '') is null
                or nullif(trim(source.question_id), '') is null
                then 'missing_key'
            when nullif(trim(source.numeric_value), '') is not null
                and {{ try_cast_decimal('source.numeric_value', 18, 4) }} is null
                then 'invalid_number'
            when responses.response_id is null or questions.question_id is null
                then 'orphan_reference'
        end as row_issue
    from source
    left join responses
        on nullif(trim(source.response_id), '') = responses.response_id
    left join questions
        on nullif(trim(source.question_id), '') = questions.question_id
),

scored as (
    select
        typed.*,
        case
            when typed.row_issue is not null then typed.row_issue
            when typed.numeric_value is null then null
            when typed.measure = 'comment' then 'score_out_of_range'
            when typed.numeric_value != floor(typed.numeric_value)
                then 'score_out_of_range'
            when typed.measure = 'nps'
                and (typed.numeric_value < 0 or typed.numeric_value > 10)
                then 'score_out_of_range'
            when typed.measure in ('csat', 'importance', 'performance')
                and (typed.numeric_value < 1 or typed.numeric_value > 5)
                then 'score_out_of_range'
            when typed.measure = 'ces'
                and (typed.numeric_value < 1 or typed.numeric_value > 7)
                then 'score_out_of_range'
        end as answer_issue
    from typed
),

ranked as (
    select
        scored.*,
        {{ key_occurrence(
            'scored', ['response_id', 'question_id'], 'answer_issue'
        ) }} as key_occurrence
    from scored
),

checked as (
    select
        ranked._source_row,
        ranked._batch_id,
        ranked.response_id,
        ranked.question_id,
        ranked.measure,
        ranked.numeric_value,
        ranked.text_value,
        {{ quarantine_reason('ranked', none, 'answer_issue') }} as quarantine_reason,
        {{ staged_at() }} as _staged_at
    from ranked
)

{{ staging_select('checked', source_relation, 'response_id') }}

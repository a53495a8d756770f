{{ config(enabled=var('survey_source') == 'qualtrics') }}
-- One row per Qualtrics vendor row the adapter leaves out before the raw contract, with why:
-- survey, question and sub_question rows marked _fivetran_deleted ('deleted'), questions of
-- a deleted survey ('survey_deleted'), sub-questions of such questions ('question_deleted');
-- survey_response rows (survey_deleted, preview_or_test, unfinished); question_response
-- rows (their response's reason, question_deleted, ignored_question); question keys
-- ignored through qualtrics_question_map ('ignored_question').
with

survey as (
    select
        cast('qualtrics.survey' as {{ dbt.type_string() }}) as vendor_table,
        {{ vendor_text('id') }} as vendor_id,
        cast('deleted' as {{ dbt.type_string() }}) as exclusion_reason
    from {{ source('qualtrics', 'survey') }}
    where {{ vendor_flag('_fivetran_deleted') }}
),

deleted_survey as (
    select {{ vendor_text('id') }} as survey_id
    from {{ source('qualtrics', 'survey') }}
    where {{ vendor_flag('_fivetran_deleted') }}
),

question as (
    select
        cast('qualtrics.question' as {{ dbt.type_string() }}) as vendor_table,
        {{ dbt.concat([vendor_text('question.survey_id'), "':'", vendor_text('question.id')]) }}
            as vendor_id,
        case
            when {{ vendor_flag('question._fivetran_deleted') }} then 'deleted'
            else 'survey_deleted'
        end as exclusion_reason
    from {{ source('qualtrics', 'question') }} as question
    left join deleted_survey
        on {{ vendor_text('question.survey_id') }} = deleted_survey.survey_id
    where {{ vendor_flag('question._fivetran_deleted') }}
        or deleted_survey.survey_id is not null
),

ignored_question as (
    select
        cast('qualtrics.question' as {{ dbt.type_string() }}) as vendor_table,
        question_key as vendor_id,
        cast('ignored_question' as {{ dbt.type_string() }}) as exclusion_reason
    from {{ ref('qualtrics__question_keys') }}
    where is_ignored
),

sub_question as (
    select
        cast('qualtrics.sub_question' as {{ dbt.type_string() }}) as vendor_table,
        {{ dbt.concat([
            vendor_text('sub_question.survey_id'), "':'", vendor_text('sub_question.question_id'),
            "':'", vendor_text('sub_question.key'),
        ]) }} as vendor_id,
        case
            when {{ vendor_flag('sub_question._fivetran_deleted') }} then 'deleted'
            else 'question_deleted'
        end as exclusion_reason
    from {{ source('qualtrics', 'sub_question') }} as sub_question
    left join question
        on {{ dbt.concat([vendor_text('sub_question.survey_id'), "':'", vendor_text('sub_question.question_id')]) }}
        = question.vendor_id
    where {{ vendor_flag('sub_question._fivetran_deleted') }}
        or question.vendor_id is not null
),

survey_response as (
    select
        cast('qualtrics.survey_response' as {{ dbt.type_string() }}) as vendor_table,
        response_id as vendor_id,
        exclusion_reason
    from {{ ref('qualtrics__response_rows') }}
    where exclusion_reason is not null
),

question_response as (
    select
        cast('qualtrics.question_response' as {{ dbt.type_string() }}) as vendor_table,
        vendor_row_id as vendor_id,
        exclusion_reason
    from {{ ref('qualtrics__answer_rows') }}
    where exclusion_reason is not null
)

select vendor_table, vendor_id, exclusion_reason from survey
union all
select vendor_table, vendor_id, exclusion_reason from question
union all
select vendor_table, vendor_id, exclusion_reason from ignored_question
union all
select vendor_table, vendor_id, exclusion_reason from sub_question
union all
select vendor_table, vendor_id, exclusion_reason from survey_response
union all
select vendor_table, vendor_id, exclusion_reason from question_response

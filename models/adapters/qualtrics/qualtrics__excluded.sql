{{ config(enabled=var('survey_source') == 'qualtrics') }}
-- One row per Qualtrics vendor row the adapter leaves out before the raw contract, with
-- why: survey, question and sub_question rows marked _fivetran_deleted ('deleted'),
-- questions of a deleted survey ('survey_deleted'), sub-questions of such questions
-- ('question_deleted'); survey_response rows (survey_deleted, preview_or_test,
-- unfinished); question_response rows (their response's reason, question_deleted,
-- ignored_question); question keys ignored through qualtrics_question_map
-- ('ignored_question'). vendor_table is <connector>.<table>; ids through vendor_id
-- (several connectors: `<connector>:<id>`).
with

survey_union as (
    {{ vendor_union('qualtrics', 'survey', ['id', '_fivetran_deleted']) }}
),

question_union as (
    {{ vendor_union(
        'qualtrics', 'question', ['id', 'survey_id', '_fivetran_deleted']
    ) }}
),

sub_question_union as (
    {{ vendor_union('qualtrics', 'sub_question', [
        'key', 'question_id', 'survey_id', '_fivetran_deleted',
    ]) }}
),

survey as (
    select
        {{ dbt.concat(["survey_union._connector", "'.survey'"]) }} as vendor_table,
        {{ vendor_id('qualtrics', 'survey_union.id') }} as vendor_id,
        cast('deleted' as {{ dbt.type_string() }}) as exclusion_reason
    from survey_union
    where {{ vendor_flag('survey_union._fivetran_deleted') }}
),

deleted_survey as (
    select distinct vendor_id as survey_id
    from survey
),

question as (
    select
        {{ dbt.concat(["question_union._connector", "'.question'"]) }} as vendor_table,
        {{ dbt.concat([
            vendor_id('qualtrics', 'question_union.survey_id'), "':'",
            vendor_text('question_union.id'),
        ]) }} as vendor_id,
        case
            when {{ vendor_flag('question_union._fivetran_deleted') }} then 'deleted'
            else 'survey_deleted'
        end as exclusion_reason
    from question_union
    left join deleted_survey
        on {{ vendor_id('qualtrics', 'question_union.survey_id') }}
            = deleted_survey.survey_id
    where {{ vendor_flag('question_union._fivetran_deleted') }}
        or deleted_survey.survey_id is not null
),

ignored_question as (
    select
        {{ dbt.concat(["_connector", "'.question'"]) }} as vendor_table,
        question_key as vendor_id,
        cast('ignored_question' as {{ dbt.type_string() }}) as exclusion_reason
    from {{ ref('qualtrics__question_keys') }}
    where is_ignored
),

sub_question as (
    select
        {{ dbt.concat(["sub_question_union._connector", "'.sub_question'"]) }}
            as vendor_table,
        {{ dbt.concat([
            vendor_id('qualtrics', 'sub_question_union.survey_id'), "':'",
            vendor_text('sub_question_union.question_id'), "':'",
            vendor_text('sub_question_union.key'),
        ]) }} as vendor_id,
        case
            when {{ vendor_flag('sub_question_union._fivetran_deleted') }}
                then 'deleted'
            else 'question_deleted'
        end as exclusion_reason
    from sub_question_union
    left join question
        on {{ dbt.concat([
            vendor_id('qualtrics', 'sub_question_union.survey_id'), "':'",
            vendor_text('sub_question_union.question_id'),
        ]) }} = question.vendor_id
    where {{ vendor_flag('sub_question_union._fivetran_deleted') }}
        or question.vendor_id is not null
),

responses_and_answers as (
    {{ vendor_excluded_rows([
        ('survey_response', 'qualtrics__response_rows', 'response_id'),
        ('question_response', 'qualtrics__answer_rows', 'vendor_row_id'),
    ]) }}
)

select
    vendor_table,
    vendor_id,
    exclusion_reason
from survey
union all
select
    vendor_table,
    vendor_id,
    exclusion_reason
from question
union all
select
    vendor_table,
    vendor_id,
    exclusion_reason
from ignored_question
union all
select
    vendor_table,
    vendor_id,
    exclusion_reason
from sub_question
union all
select
    vendor_table,
    vendor_id,
    exclusion_reason
from responses_and_answers

{{ config(enabled=var('survey_source') == 'qualtrics') }}
{{ vendor_require_columns('qualtrics', 'question', [
    'id', 'survey_id', 'question_text', 'data_export_tag', 'selector',
    '_fivetran_deleted', '_fivetran_synced',
]) }}
{{ vendor_require_columns('qualtrics', 'sub_question', [
    'key', 'question_id', 'survey_id', 'text', 'choice_data_export_tag',
    '_fivetran_deleted',
]) }}
-- One row per question key of a live question of a live survey (of every connector:
-- survey ids through vendor_id, so keys of two connectors cannot collide): the question
-- itself, or each of its sub-questions (matrix rows), and each loop (loop_id) its
-- answers carry. question_key = <survey_id>:<question
-- id>[:<sub_question_key>][@<loop_id>], as Qualtrics question ids (QID9) are unique
-- only within a survey. The measure: 'nps' for the NPS selector; else the first match
-- in the qualtrics_question_map seed (this survey's rows before '*' rows; sub-question
-- id `QID:key`, then question id, then the sub-question's export tag, then the
-- question's export tag); else 'comment' with is_unmapped (answers kept as text, never
-- scored). measure 'ignore' marks questions the adapter leaves out.
with

question_union as (
    {{ vendor_union('qualtrics', 'question', [
        'id', 'survey_id', 'question_text', 'data_export_tag', 'selector',
        '_fivetran_deleted', '_fivetran_synced',
    ]) }}
),

survey_union as (
    {{ vendor_union('qualtrics', 'survey', ['id', '_fivetran_deleted']) }}
),

sub_question_union as (
    {{ vendor_union('qualtrics', 'sub_question', [
        'key', 'question_id', 'survey_id', 'text', 'choice_data_export_tag',
        '_fivetran_deleted',
    ]) }}
),

response_union as (
    {{ vendor_union('qualtrics', 'survey_response', ['id', 'survey_id']) }}
),

question_response as (
    {{ vendor_union('qualtrics', 'question_response', [
        'response_id', 'question_id', 'sub_question_key', 'loop_id',
    ]) }}
),

question as (
    select
        question_union._connector,
        {{ vendor_id('qualtrics', 'question_union.survey_id') }} as survey_id,
        {{ vendor_text('question_union.survey_id') }} as vendor_survey_id,
        {{ vendor_text('question_union.id') }} as question_id,
        {{ vendor_text('question_union.question_text') }} as question_text,
        {{ vendor_value('question_union.data_export_tag') }} as export_tag,
        coalesce(upper(trim({{ vendor_text('question_union.selector') }})), '')
            as selector,
        question_union._fivetran_synced
    from question_union
    where not {{ vendor_flag('question_union._fivetran_deleted') }}
),

live_survey as (
    select {{ vendor_id('qualtrics', 'survey_union.id') }} as survey_id
    from survey_union
    where not {{ vendor_flag('survey_union._fivetran_deleted') }}
),

sub_question as (
    select
        {{ vendor_id('qualtrics', 'sub_question_union.survey_id') }} as survey_id,
        {{ vendor_text('sub_question_union.question_id') }} as question_id,
        {{ vendor_text('sub_question_union.key') }} as sub_question_key,
        {{ vendor_text('sub_question_union.text') }} as sub_question_text,
        nullif(trim({{ vendor_text('sub_question_union.choice_data_export_tag') }}), '')
            as sub_export_tag
    from sub_question_union
    where not {{ vendor_flag('sub_question_union._fivetran_deleted') }}
),

response as (
    select
        {{ vendor_id('qualtrics', 'response_union.id') }} as response_id,
        {{ vendor_id('qualtrics', 'response_union.survey_id') }} as survey_id
    from response_union
),

observed as (
    -- the (question, sub-question, loop) combinations answers carry
    select distinct
        response.survey_id,
        {{ vendor_text('question_response.question_id') }} as question_id,
        nullif(trim({{ vendor_text('question_response.sub_question_key') }}), '')
            as sub_question_key,
        nullif(trim({{ vendor_text('question_response.loop_id') }}), '') as loop_id
    from question_response
    inner join response
        on {{ vendor_id('qualtrics', 'question_response.response_id') }}
            = response.response_id
),

defined as (
    -- a question without sub-questions, or each sub-question of a matrix
    select
        question.survey_id,
        question.question_id,
        sub_question.sub_question_key,
        cast(null as {{ dbt.type_string() }}) as loop_id
    from question
    left join sub_question
        on question.survey_id = sub_question.survey_id
            and question.question_id = sub_question.question_id
),

looped as (
    select distinct
        survey_id,
        question_id,
        sub_question_key
    from observed
    where loop_id is not null
),

all_keys as (
    -- a looped question is asked once per loop: its key without loop is left out
    select
        defined.survey_id,
        defined.question_id,
        defined.sub_question_key,
        defined.loop_id
    from defined
    left join looped
        on defined.survey_id = looped.survey_id
            and defined.question_id = looped.question_id
            and coalesce(defined.sub_question_key, '')
            = coalesce(looped.sub_question_key, '')
    where looped.question_id is null
    union
    select
        survey_id,
        question_id,
        sub_question_key,
        loop_id
    from observed
),

keys as (
    -- only keys of live questions of live surveys (answers to others are excluded)
    select
        question._connector,
        all_keys.survey_id,
        question.vendor_survey_id,
        all_keys.question_id,
        all_keys.sub_question_key,
        all_keys.loop_id,
        question.question_text,
        question.export_tag,
        question.selector,
        sub_question.sub_question_text,
        sub_question.sub_export_tag,
        question._fivetran_synced
    from all_keys
    inner join question
        on all_keys.survey_id = question.survey_id
            and all_keys.question_id = question.question_id
    inner join live_survey
        on all_keys.survey_id = live_survey.survey_id
    left join sub_question
        on all_keys.survey_id = sub_question.survey_id
            and all_keys.question_id = sub_question.question_id
            and all_keys.sub_question_key = sub_question.sub_question_key
),

question_map as (
    select
        trim({{ vendor_text('survey_id') }}) as survey_id,
        lower(trim({{ vendor_text('question_id_or_export_tag') }})) as question_ref,
        {{ normalize_code(vendor_text('measure')) }} as measure,
        {{ normalize_code(vendor_text('factor')) }} as factor
    from {{ ref('qualtrics_question_map') }}
),

matches as (
    select
        keys.survey_id,
        keys.question_id,
        keys.sub_question_key,
        keys.loop_id,
        question_map.measure,
        question_map.factor,
        row_number() over (
            partition by
                keys.survey_id, keys.question_id, keys.sub_question_key, keys.loop_id
            order by
                case
                    when question_map.survey_id = keys.vendor_survey_id then 0 else 1
                end,
                case
                    when question_map.question_ref
                        = lower({{ dbt.concat([
                            'keys.question_id', "':'", 'keys.sub_question_key',
                        ]) }})
                        then 0
                    when question_map.question_ref = lower(keys.question_id) then 1
                    when question_map.question_ref = lower(keys.sub_export_tag) then 2
                    else 3
                end
        ) as match_rank
    from keys
    inner join question_map
        on question_map.survey_id in (keys.vendor_survey_id, '*')
            and (
                question_map.question_ref = lower(keys.question_id)
                or question_map.question_ref = lower(keys.export_tag)
                or question_map.question_ref = lower(keys.sub_export_tag)
                or (
                    keys.sub_question_key is not null
                    and question_map.question_ref = lower(
                    {{ dbt.concat([
                        'keys.question_id', "':'", 'keys.sub_question_key',
                    ]) }}
                    )
                )
            )
),

best as (
    select * from matches
    where match_rank = 1
)

select
    {{ qualtrics_question_key(
        'keys.survey_id', 'keys.question_id', 'keys.sub_question_key', 'keys.loop_id'
    ) }} as question_key,
    keys._connector,
    keys.survey_id,
    keys.question_id,
    keys.sub_question_key,
    keys.loop_id,
    case
        when keys.selector = 'NPS' then 'nps'
        when best.measure is not null then best.measure
        else 'comment'
    end as measure,
    case
        when keys.selector = 'NPS' then null
        else best.factor
    end as factor,
    keys.selector != 'NPS' and best.measure is null as is_unmapped,
    coalesce(keys.selector != 'NPS' and best.measure = 'ignore', false) as is_ignored,
    {{ dbt.concat([
        "coalesce(keys.question_text, '')",
        "case when keys.sub_question_text is not null then "
            ~ dbt.concat(["' - '", 'keys.sub_question_text']) ~ " else '' end",
        "case when keys.loop_id is not null then "
            ~ dbt.concat(["' [loop '", 'keys.loop_id', "']'"]) ~ " else '' end",
    ]) }} as question_text,
    keys.export_tag,
    keys._fivetran_synced
from keys
left join best
    on keys.survey_id = best.survey_id
        and keys.question_id = best.question_id
        and coalesce(keys.sub_question_key, '') = coalesce(best.sub_question_key, '')
        and coalesce(keys.loop_id, '') = coalesce(best.loop_id, '')

{{ config(enabled=var('survey_source') == 'qualtrics') }}
-- One row per question key of a live Qualtrics question (qualtrics__question_keys), as the
-- raw contract's survey.questions row (text). question_id is the question key
-- <survey_id>:<question id>[:<sub_question_key>][@<loop_id>]. Ignored questions (measure
-- 'ignore' in qualtrics_question_map) are in qualtrics__excluded.
with

question_keys as (
    select * from {{ ref('qualtrics__question_keys') }}
    where not is_ignored
)

select
    question_keys.question_key as question_id,
    question_keys.survey_id,
    question_keys.measure,
    question_keys.factor,
    question_keys.question_text,
    cast('qualtrics.question' as {{ dbt.type_string() }}) as _source_file,
    row_number() over (order by question_keys.question_key) as _source_row,
    cast('qualtrics.question' as {{ dbt.type_string() }}) as _batch_id,
    cast(question_keys._fivetran_synced as {{ dbt.type_timestamp() }}) as _loaded_at
from question_keys

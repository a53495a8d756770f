{{ config(enabled=var('survey_source') == 'qualtrics') }}
-- One row per question key of a live Qualtrics question (qualtrics__question_keys), as
-- the raw contract's survey.questions row (text). question_id is the question key
-- <survey_id>:<question id>[:<sub_question_key>][@<loop_id>]. Ignored questions
-- (measure 'ignore' in qualtrics_question_map) are in qualtrics__excluded.
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
    {{ vendor_lineage('question_keys', 'question', 'question_keys.question_key') }}
from question_keys

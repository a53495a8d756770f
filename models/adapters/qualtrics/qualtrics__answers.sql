{{ config(enabled=var('survey_source') == 'qualtrics') }}
-- One row per kept Qualtrics question_response row (qualtrics__answer_rows without an
-- exclusion reason), as the raw contract's survey.answers row (text).
with

answer_rows as (
    select * from {{ ref('qualtrics__answer_rows') }}
    where exclusion_reason is null
)

select
    answer_rows.response_id,
    answer_rows.question_id,
    answer_rows.numeric_value,
    answer_rows.text_value,
    cast('qualtrics.question_response' as {{ dbt.type_string() }}) as _source_file,
    row_number() over (order by answer_rows.vendor_row_id) as _source_row,
    cast('qualtrics.question_response' as {{ dbt.type_string() }}) as _batch_id,
    cast(answer_rows._fivetran_synced as {{ dbt.type_timestamp() }}) as _loaded_at
from answer_rows

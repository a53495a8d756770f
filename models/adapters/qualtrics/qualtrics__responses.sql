{{ config(enabled=var('survey_source') == 'qualtrics') }}
-- One row per kept Qualtrics response (qualtrics__response_rows without an exclusion
-- reason), as the raw contract's survey.responses row (text).
with

response_rows as (
    select * from {{ ref('qualtrics__response_rows') }}
    where exclusion_reason is null
)

select
    response_rows.response_id,
    response_rows.survey_id,
    response_rows.respondent_email,
    response_rows.ticket_id,
    response_rows.order_id,
    response_rows.channel,
    response_rows.submitted_at,
    cast('qualtrics.survey_response' as {{ dbt.type_string() }}) as _source_file,
    row_number() over (order by response_rows.response_id) as _source_row,
    cast('qualtrics.survey_response' as {{ dbt.type_string() }}) as _batch_id,
    cast(response_rows._fivetran_synced as {{ dbt.type_timestamp() }}) as _loaded_at
from response_rows

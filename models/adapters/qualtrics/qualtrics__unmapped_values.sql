{{ config(enabled=var('survey_source') == 'qualtrics') }}
-- One row per Qualtrics value outside every map (vendor_table, vendor_field,
-- vendor_value), with the fallback the adapter used and the rows it touched: surveys
-- missing from qualtrics_survey_map (kept as relationship surveys), questions missing
-- from qualtrics_question_map (kept as comments: answers as text, never scored),
-- distribution_channel codes missing from qualtrics_channel_map (passed through;
-- staging maps them to `unknown`). Kept, counted and warned (tests/dbt/adapters/),
-- never dropped.
with

survey_map as (
    select trim({{ vendor_text('survey_id') }}) as survey_id
    from {{ ref('qualtrics_survey_map') }}
),

survey as (
    {{ vendor_union('qualtrics', 'survey', ['id', '_fivetran_deleted']) }}
),

unmapped_survey as (
    -- live surveys missing from the map (matched on the vendor's survey id)
    select
        cast('survey' as {{ dbt.type_string() }}) as vendor_table,
        cast('id' as {{ dbt.type_string() }}) as vendor_field,
        {{ vendor_id('qualtrics', 'survey.id') }} as vendor_value,
        cast('survey_kind relationship, no touchpoint' as {{ dbt.type_string() }})
            as fallback,
        count(*) as row_count
    from survey
    left join survey_map
        on {{ vendor_text('survey.id') }} = survey_map.survey_id
    where survey_map.survey_id is null
        and not {{ vendor_flag('survey._fivetran_deleted') }}
    group by {{ vendor_id('qualtrics', 'survey.id') }}
),

unmapped_question as (
    select
        cast('question' as {{ dbt.type_string() }}) as vendor_table,
        cast('id / data_export_tag' as {{ dbt.type_string() }}) as vendor_field,
        {{ dbt.concat([
            'question_key', "case when export_tag is not null then "
                ~ dbt.concat(["' ('", 'export_tag', "')'"]) ~ " else '' end",
        ]) }} as vendor_value,
        cast(
            'measure comment (answers kept as text, not scored)'
            as {{ dbt.type_string() }}
        )
            as fallback,
        count(*) as row_count
    from {{ ref('qualtrics__question_keys') }}
    where is_unmapped
    group by question_key, export_tag
),

unmapped_channel as (
    select
        cast('survey_response' as {{ dbt.type_string() }}) as vendor_table,
        cast('distribution_channel' as {{ dbt.type_string() }}) as vendor_field,
        distribution_channel as vendor_value,
        cast('passed through (staging: channel unknown)' as {{ dbt.type_string() }})
            as fallback,
        count(*) as row_count
    from {{ ref('qualtrics__response_rows') }}
    where is_unmapped_channel and exclusion_reason is null
    group by distribution_channel
)

{{ vendor_unmapped_rows(
    'qualtrics', ['unmapped_survey', 'unmapped_question', 'unmapped_channel']
) }}

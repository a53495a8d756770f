{{ config(enabled=var('survey_source') == 'qualtrics') }}
{{ vendor_require_columns('qualtrics', 'survey', [
    'id', 'survey_name', '_fivetran_deleted', '_fivetran_synced',
]) }}
-- One row per live Qualtrics survey of every connector (ids through vendor_id), as the
-- raw contract's survey.surveys row (text). survey_kind and touchpoint_code come from
-- the qualtrics_survey_map seed (matched on the vendor's survey id); a survey missing
-- from it is kept as a relationship survey without touchpoint (counted in
-- qualtrics__unmapped_values). Deleted surveys are in qualtrics__excluded.
with

survey as (
    {{ vendor_union('qualtrics', 'survey', [
        'id', 'survey_name', '_fivetran_deleted', '_fivetran_synced',
    ]) }}
),

survey_map as (
    select
        trim({{ vendor_text('survey_id') }}) as survey_id,
        {{ normalize_code(vendor_text('survey_kind')) }} as survey_kind,
        {{ normalize_code(vendor_text('touchpoint_code')) }} as touchpoint_code
    from {{ ref('qualtrics_survey_map') }}
),

live as (
    select
        survey._connector,
        {{ vendor_id('qualtrics', 'survey.id') }} as survey_id,
        {{ vendor_text('survey.id') }} as vendor_survey_id,
        {{ vendor_text('survey.survey_name') }} as survey_name,
        survey._fivetran_synced
    from survey
    where not {{ vendor_flag('survey._fivetran_deleted') }}
),

mapped as (
    select
        live._connector,
        live.survey_id,
        live.survey_name,
        coalesce(survey_map.survey_kind, 'relationship') as survey_kind,
        survey_map.touchpoint_code,
        live._fivetran_synced
    from live
    left join survey_map
        on live.vendor_survey_id = survey_map.survey_id
)

select
    mapped.survey_id,
    mapped.survey_name,
    mapped.survey_kind,
    mapped.touchpoint_code,
    {{ vendor_lineage('mapped', 'survey', 'mapped.survey_id') }}
from mapped

{{ config(enabled=var('survey_source') == 'qualtrics') }}
{%- set ticket_keys = var(
    'qualtrics_ticket_id_keys', ['ticket_id', 'ticketid', 'zendesk_ticket_id']
) -%}
{%- set order_keys = var(
    'qualtrics_order_id_keys', ['order_id', 'orderid', 'opportunity_id', 'deal_id']
) -%}
{%- set channel_keys = var('qualtrics_channel_keys', ['channel']) -%}
{%- set excluded_statuses = var(
    'qualtrics_excluded_statuses', ['1', '2', '8', '9', '12', '17']
) -%}
{{ vendor_require_columns('qualtrics', 'survey_response', [
    'id', 'survey_id', 'recipient_email', 'distribution_channel', 'finished',
    'status', 'recorded_date', '_fivetran_synced',
]) }}
{{ vendor_require_columns(
    'qualtrics', 'survey_embedded_data', ['response_id', 'key', 'value']
) }}
-- One row per Qualtrics survey_response row of every connector (ids through vendor_id),
-- in the raw contract's survey.responses shape, with exclusion_reason when the adapter
-- leaves it out: survey_deleted (its survey is deleted), preview_or_test (status in var
-- qualtrics_excluded_statuses: previews, tests, spam), unfinished (finished false while
-- var qualtrics_keep_unfinished is false). A response without recipient email
-- (anonymous link) gets a stable pseudonymous address anonymous-<md5 of response
-- id>@anonymous.invalid: one unmatched respondent per response. ticket_id, order_id and
-- channel come from embedded data (keys from vars); channel falls back to
-- distribution_channel through the qualtrics_channel_map seed.
with

survey_response as (
    {{ vendor_union('qualtrics', 'survey_response', [
        'id', 'survey_id', 'recipient_email', 'distribution_channel', 'finished',
        'status', 'recorded_date', '_fivetran_synced',
    ]) }}
),

survey as (
    {{ vendor_union('qualtrics', 'survey', ['id', '_fivetran_deleted']) }}
),

embedded_data as (
    {{ vendor_union(
        'qualtrics', 'survey_embedded_data', ['response_id', 'key', 'value']
    ) }}
),

deleted_survey as (
    select distinct {{ vendor_id('qualtrics', 'survey.id') }} as survey_id
    from survey
    where {{ vendor_flag('survey._fivetran_deleted') }}
),

embedded as (
    select
        {{ vendor_id('qualtrics', 'embedded_data.response_id') }} as response_id,
        max(
            case
                when lower(trim({{ vendor_text('embedded_data.key') }}))
                    in {{ vendor_key_list(ticket_keys) }}
                    then nullif(trim({{ vendor_text('embedded_data.value') }}), '')
            end
        ) as ticket_id,
        max(
            case
                when lower(trim({{ vendor_text('embedded_data.key') }}))
                    in {{ vendor_key_list(order_keys) }}
                    then nullif(trim({{ vendor_text('embedded_data.value') }}), '')
            end
        ) as order_id,
        max(
            case
                when lower(trim({{ vendor_text('embedded_data.key') }}))
                    in {{ vendor_key_list(channel_keys) }}
                    then nullif(trim({{ vendor_text('embedded_data.value') }}), '')
            end
        ) as channel
    from embedded_data
    group by {{ vendor_id('qualtrics', 'embedded_data.response_id') }}
),

channel_map as (
    select
        {{ normalize_code(vendor_text('distribution_channel')) }}
            as distribution_channel,
        {{ vendor_text('channel_code') }} as channel_code
    from {{ ref('qualtrics_channel_map') }}
),

typed as (
    select
        survey_response._connector,
        {{ vendor_id('qualtrics', 'survey_response.id') }} as response_id,
        {{ vendor_id('qualtrics', 'survey_response.survey_id') }} as survey_id,
        nullif(trim({{ vendor_text('survey_response.recipient_email') }}), '')
            as recipient_email,
        {{ normalize_code(vendor_text('survey_response.distribution_channel')) }}
            as distribution_channel,
        {{ vendor_flag('survey_response.finished') }} as is_finished,
        trim({{ vendor_text('survey_response.status') }}) as response_status,
        {{ vendor_text('survey_response.recorded_date') }} as recorded_date,
        survey_response._fivetran_synced
    from survey_response
)

select
    typed._connector,
    typed.response_id,
    typed.survey_id,
    coalesce(
        typed.recipient_email,
        {{ dbt.concat([
            "'anonymous-'", dbt.hash('typed.response_id'), "'@anonymous.invalid'",
        ]) }}
    ) as respondent_email,
    embedded.ticket_id,
    embedded.order_id,
    coalesce(
        embedded.channel, channel_map.channel_code, typed.distribution_channel
    ) as channel,
    typed.recorded_date as submitted_at,
    typed.recipient_email is null as is_anonymous,
    typed.distribution_channel,
    (
        embedded.channel is null
        and channel_map.channel_code is null
        and typed.distribution_channel is not null
    ) as is_unmapped_channel,
    case
        when deleted_survey.survey_id is not null then 'survey_deleted'
        when typed.response_status
            in {{ vendor_key_list(excluded_statuses) }}
            then 'preview_or_test'
        {%- if not var('qualtrics_keep_unfinished', true) %}
        when not typed.is_finished then 'unfinished'
        {%- endif %}
    end as exclusion_reason,
    typed._fivetran_synced
from typed
left join deleted_survey
    on typed.survey_id = deleted_survey.survey_id
left join embedded
    on typed.response_id = embedded.response_id
left join channel_map
    on typed.distribution_channel = channel_map.distribution_channel

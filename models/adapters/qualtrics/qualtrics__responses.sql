{{ config(enabled=var('survey_source') == 'qualtrics') }}
-- One row per kept Qualtrics response (qualtrics__response_rows without an exclusion
-- reason), as the raw contract's survey.responses row (text); _batch_id
-- `<connector>.survey_response`.
{{ vendor_kept_rows('qualtrics__response_rows', 'survey_response', [
    'response_id', 'survey_id', 'respondent_email', 'ticket_id', 'order_id', 'channel',
    'submitted_at',
], 'response_id') }}

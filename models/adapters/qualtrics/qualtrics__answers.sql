{{ config(enabled=var('survey_source') == 'qualtrics') }}
-- One row per kept Qualtrics question_response row (qualtrics__answer_rows without an
-- exclusion reason), as the raw contract's survey.answers row (text); _batch_id
-- `<connector>.question_response`.
{{ vendor_kept_rows('qualtrics__answer_rows', 'question_response', [
    'response_id', 'question_id', 'numeric_value', 'text_value',
], 'vendor_row_id') }}

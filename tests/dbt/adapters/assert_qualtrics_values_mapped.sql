-- Warns (never fails) on every Qualtrics value outside the adapter's maps: each row
-- names the vendor table, field and value, the fallback used and the rows it touched.
{{ config(severity='warn', enabled=var('survey_source') == 'qualtrics') }}

select * from {{ ref('qualtrics__unmapped_values') }}

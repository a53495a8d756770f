-- Warns (never fails) on every Salesforce value outside the adapter's maps: each row
-- names the vendor table, field and value, the fallback used and the rows it touched.
{{ config(severity='warn', enabled=var('crm_source') == 'salesforce') }}

select * from {{ ref('salesforce__unmapped_values') }}

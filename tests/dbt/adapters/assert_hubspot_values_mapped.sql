-- Warns (never fails) on every HubSpot value outside the adapter's maps: each row
-- names the vendor table, field and value, the fallback used and the rows it touched.
{{ config(severity='warn', enabled=var('crm_source') == 'hubspot') }}

select * from {{ ref('hubspot__unmapped_values') }}

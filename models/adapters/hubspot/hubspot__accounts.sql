{{ config(enabled=var('crm_source') == 'hubspot') }}
-- One row per kept HubSpot company (hubspot__company_rows without exclusion reason), as a
-- raw crm.accounts row (text).
with

company_rows as (
    select * from {{ ref('hubspot__company_rows') }}
    where exclusion_reason is null
)

select
    company_rows.account_id,
    company_rows.account_name,
    company_rows.segment,
    company_rows.country,
    company_rows.created_at,
    cast('hubspot.company' as {{ dbt.type_string() }}) as _source_file,
    row_number() over (order by company_rows.account_id) as _source_row,
    cast('hubspot.company' as {{ dbt.type_string() }}) as _batch_id,
    cast(company_rows._fivetran_synced as {{ dbt.type_timestamp() }}) as _loaded_at
from company_rows

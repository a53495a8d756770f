{{ config(enabled=var('crm_source') == 'salesforce') }}
-- One row per kept Salesforce account (salesforce__account_rows without exclusion reason),
-- as a raw crm.accounts row (text).
with

account_rows as (
    select * from {{ ref('salesforce__account_rows') }}
    where exclusion_reason is null
)

select
    account_rows.account_id,
    account_rows.account_name,
    account_rows.segment,
    account_rows.country,
    account_rows.created_at,
    cast('salesforce.account' as {{ dbt.type_string() }}) as _source_file,
    row_number() over (order by account_rows.account_id) as _source_row,
    cast('salesforce.account' as {{ dbt.type_string() }}) as _batch_id,
    cast(account_rows._fivetran_synced as {{ dbt.type_timestamp() }}) as _loaded_at
from account_rows

{{ config(enabled=var('crm_source') == 'salesforce') }}
-- One row per closed-won Salesforce opportunity (salesforce__opportunity_rows without
-- exclusion reason), as a raw crm.orders row (text).
with

opportunity_rows as (
    select * from {{ ref('salesforce__opportunity_rows') }}
    where exclusion_reason is null
)

select
    opportunity_rows.order_id,
    opportunity_rows.account_id,
    opportunity_rows.contact_id,
    opportunity_rows.order_type,
    opportunity_rows.ordered_at,
    opportunity_rows.amount,
    opportunity_rows.currency,
    opportunity_rows.channel,
    cast('salesforce.opportunity' as {{ dbt.type_string() }}) as _source_file,
    row_number() over (order by opportunity_rows.order_id) as _source_row,
    cast('salesforce.opportunity' as {{ dbt.type_string() }}) as _batch_id,
    cast(opportunity_rows._fivetran_synced as {{ dbt.type_timestamp() }}) as _loaded_at
from opportunity_rows

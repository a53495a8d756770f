{{ config(enabled=var('crm_source') == 'hubspot') }}
-- One row per closed-won HubSpot deal (hubspot__deal_rows without exclusion reason), as a
-- raw crm.orders row (text).
with

deal_rows as (
    select * from {{ ref('hubspot__deal_rows') }}
    where exclusion_reason is null
)

select
    deal_rows.order_id,
    deal_rows.account_id,
    deal_rows.contact_id,
    deal_rows.order_type,
    deal_rows.ordered_at,
    deal_rows.amount,
    deal_rows.currency,
    deal_rows.channel,
    cast('hubspot.deal' as {{ dbt.type_string() }}) as _source_file,
    row_number() over (order by deal_rows.order_id) as _source_row,
    cast('hubspot.deal' as {{ dbt.type_string() }}) as _batch_id,
    cast(deal_rows._fivetran_synced as {{ dbt.type_timestamp() }}) as _loaded_at
from deal_rows

{{ config(enabled=var('crm_source') == 'salesforce') }}
-- One row per Salesforce value outside the adapter's maps (vendor_table, vendor_field,
-- vendor_value), with the fallback used and the kept rows it touched: opportunity types
-- missing from salesforce_order_type_map (order_type one_off) and lead sources missing
-- from salesforce_lead_source_map and from channel_map (passed through; staging:
-- channel unknown). Kept, counted and warned (tests/dbt/adapters/), never dropped.
with

opportunity_rows as (
    select * from {{ ref('salesforce__opportunity_rows') }}
    where exclusion_reason is null
),

channel_map as (
    select raw_code from {{ ref('channel_map') }}
),

unmapped_type as (
    select
        cast('opportunity' as {{ dbt.type_string() }}) as vendor_table,
        cast('type' as {{ dbt.type_string() }}) as vendor_field,
        coalesce(opportunity_type, '(empty)') as vendor_value,
        cast('order_type one_off' as {{ dbt.type_string() }}) as fallback,
        count(*) as row_count
    from opportunity_rows
    where is_unmapped_type
    group by coalesce(opportunity_type, '(empty)')
),

unmapped_lead_source as (
    select
        cast('opportunity' as {{ dbt.type_string() }}) as vendor_table,
        cast('lead_source' as {{ dbt.type_string() }}) as vendor_field,
        opportunity_rows.lead_source as vendor_value,
        cast('passed through (staging: channel unknown)' as {{ dbt.type_string() }})
            as fallback,
        count(*) as row_count
    from opportunity_rows
    left join channel_map
        on {{ normalize_code('opportunity_rows.lead_source') }} = channel_map.raw_code
    where opportunity_rows.is_unmapped_lead_source
        and channel_map.raw_code is null
    group by opportunity_rows.lead_source
)

{{ vendor_unmapped_rows('salesforce', ['unmapped_type', 'unmapped_lead_source']) }}

{{ config(enabled=var('crm_source') == 'hubspot') }}
-- One row per HubSpot value outside the adapter's maps (vendor_table, vendor_field,
-- vendor_value), with the fallback used and the kept rows it touched: deal types
-- missing from hubspot_deal_type_map (order_type one_off) and channel values missing
-- from channel_map (passed through; staging: channel unknown). Kept, counted and warned
-- (tests/dbt/adapters/), never dropped.
with

deal_rows as (
    select * from {{ ref('hubspot__deal_rows') }}
    where exclusion_reason is null
),

channel_map as (
    select raw_code from {{ ref('channel_map') }}
),

unmapped_type as (
    select
        cast('deal' as {{ dbt.type_string() }}) as vendor_table,
        cast('property_dealtype' as {{ dbt.type_string() }}) as vendor_field,
        coalesce(deal_type, '(empty)') as vendor_value,
        cast('order_type one_off' as {{ dbt.type_string() }}) as fallback,
        count(*) as row_count
    from deal_rows
    where is_unmapped_type
    group by coalesce(deal_type, '(empty)')
),

unmapped_channel as (
    select
        cast('deal' as {{ dbt.type_string() }}) as vendor_table,
        cast(
            '{{ var("hubspot_deal_channel_column", "property_hs_analytics_source") }}'
            as {{ dbt.type_string() }}
        ) as vendor_field,
        deal_rows.channel as vendor_value,
        cast('passed through (staging: channel unknown)' as {{ dbt.type_string() }})
            as fallback,
        count(*) as row_count
    from deal_rows
    left join channel_map
        on {{ normalize_code('deal_rows.channel') }} = channel_map.raw_code
    where {{ normalize_code('deal_rows.channel') }} is not null
        and channel_map.raw_code is null
    group by deal_rows.channel
)

{{ vendor_unmapped_rows('hubspot', ['unmapped_type', 'unmapped_channel']) }}

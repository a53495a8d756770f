-- The `channels` mart (relation marts.channels). The dbt name differs because the seed
-- `channels` (reference.channels) holds the name in dbt's namespace.
{{ config(alias='channels') }}

with

channels as (
    select
        channel,
        channel_name,
        is_assisted,
        sort_order
    from {{ ref('channels') }}
),

channel_map as (
    select
        raw_code,
        channel
    from {{ ref('channel_map') }}
),

mapped_codes as (
    select
        channel_map.channel,
        count(*) as raw_codes
    from channel_map
    group by channel_map.channel
),

final as (
    select
        channels.channel,
        channels.channel_name,
        channels.is_assisted,
        cast(channels.sort_order as integer) as sort_order,
        cast(coalesce(mapped_codes.raw_codes, 0) as bigint) as raw_codes
    from channels
    left join mapped_codes
        on channels.channel = mapped_codes.channel
)

select * from final

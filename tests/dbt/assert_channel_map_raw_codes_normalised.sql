-- Staging looks channel codes up trimmed and lower-cased (normalize_code), so a
-- raw_code in channel_map with capitals or spaces would never match and its rows would
-- fall to `unknown` silently. Returns such codes.
with

channel_map as (
    select
        raw_code,
        channel
    from {{ ref('channel_map') }}
),

not_normalised as (
    select
        raw_code,
        channel
    from channel_map
    where raw_code != lower(trim(raw_code))
)

select * from not_normalised

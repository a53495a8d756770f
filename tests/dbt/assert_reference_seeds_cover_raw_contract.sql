-- The reference seeds cover the raw contract (docs/contract.md):
--   * every ticket category of the contract is mapped in ticket_category_touchpoints
--     (staging quarantines a ticket of an unmapped category as invalid_code);
--   * every raw code of the contract's channel table is in channel_map;
--   * every canonical channel, and `unknown`, is in channels.
-- Returns one row per missing entry. Keep these lists in step with docs/contract.md.
-- Dagster shows this test as a check of `channel_map` (the channel map is the seed most raw codes go through).
{{ config(meta={'dagster': {'ref': {'name': 'channel_map'}}}) }}
{%- set contract_categories = [
    'pre_sales', 'billing', 'invoice_dispute', 'contract', 'renewal', 'onboarding',
    'delivery', 'product_defect', 'how_to', 'account_access', 'cancellation', 'other',
] %}
{%- set contract_channel_codes = {
    'phone': ['phone', 'voice', 'call', 'ivr'],
    'email': ['email', 'e-mail', 'mail'],
    'chat': ['chat', 'live_chat', 'whatsapp', 'sms'],
    'social': ['social', 'twitter', 'x', 'facebook', 'instagram'],
    'web': ['web', 'web_form', 'portal', 'app'],
    'store': ['store', 'branch', 'in_person'],
    'partner': ['partner', 'reseller'],
} %}
with

categories as (
    select category from {{ ref('ticket_category_touchpoints') }}
),

channel_map as (
    select raw_code from {{ ref('channel_map') }}
),

channels as (
    select channel from {{ ref('channels') }}
),

contract_categories as (
    {% for category in contract_categories -%}
        select '{{ category }}' as category
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

contract_channel_codes as (
    {% for channel, codes in contract_channel_codes.items() -%}
        {% set outer_loop = loop -%}
        {% for code in codes -%}
            select '{{ code }}' as raw_code
            {% if not (outer_loop.last and loop.last) %}union all{% endif %}
        {% endfor %}
    {%- endfor %}
),

contract_channels as (
    {% for channel in contract_channel_codes.keys() | list + ['unknown'] -%}
        select '{{ channel }}' as channel
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

missing as (
    select
        'ticket_category_touchpoints' as seed_name,
        contract_categories.category as missing_value
    from contract_categories
    left join categories
        on contract_categories.category = categories.category
    where categories.category is null

    union all

    select
        'channel_map' as seed_name,
        contract_channel_codes.raw_code as missing_value
    from contract_channel_codes
    left join channel_map
        on contract_channel_codes.raw_code = channel_map.raw_code
    where channel_map.raw_code is null

    union all

    select
        'channels' as seed_name,
        contract_channels.channel as missing_value
    from contract_channels
    left join channels
        on contract_channels.channel = channels.channel
    where channels.channel is null
)

select * from missing

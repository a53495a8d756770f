{{ config(enabled=var('crm_source') == 'hubspot') }}
{{ vendor_require_columns('hubspot', 'deal', [
    'deal_id', 'deal_pipeline_stage_id', 'property_amount', 'property_closedate',
    '_fivetran_synced',
]) }}
{{ vendor_require_columns(
    'hubspot', 'deal_pipeline_stage', ['stage_id', 'is_closed', 'probability']
) }}
{{ vendor_require_columns('hubspot', 'deal_company', ['deal_id', 'company_id']) }}
{{ vendor_require_columns('hubspot', 'deal_contact', ['deal_id', 'contact_id']) }}
{%- set channel_column = var(
    'hubspot_deal_channel_column', 'property_hs_analytics_source'
) -%}
-- One row per HubSpot deal row of every connector, in the raw contract's crm.orders
-- shape, with exclusion_reason when the adapter leaves it out: deleted (is_deleted /
-- _fivetran_deleted), not_closed_won (its pipeline stage is not closed with probability
-- 1: HubSpot's won stages; the `closed_won` stage column is deprecated and means
-- closed). account_id and contact_id through deal_company and deal_contact (the primary
-- association first: type_id 5 for companies, 3 for contacts; then the lowest id).
-- order_type from the hubspot_deal_type_map seed over property_dealtype (unmapped or
-- empty: one_off, counted in hubspot__unmapped_values); ordered_at from
-- property_closedate; currency from property_deal_currency_code, else var
-- hubspot_default_currency; channel from the property named by var
-- hubspot_deal_channel_column (default property_hs_analytics_source), as delivered for
-- staging's channel_map.
with

deal as (
    {{ vendor_union('hubspot', 'deal', [
        'deal_id', 'deal_pipeline_stage_id', 'property_amount', 'property_closedate',
        '_fivetran_synced',
    ], ['property_dealtype', 'property_deal_currency_code', channel_column]
        + vendor_state_columns()) }}
),

pipeline_stage as (
    {{ vendor_union('hubspot', 'deal_pipeline_stage', [
        'stage_id', 'is_closed', 'probability',
    ], vendor_state_columns()) }}
),

stage as (
    -- one row per stage id: won when any live row of it is closed with probability 1
    select
        {{ vendor_id('hubspot', 'pipeline_stage.stage_id') }} as stage_id,
        max(
            case
                when {{ vendor_flag('pipeline_stage.is_closed') }}
                    and {{ try_cast_decimal(
                        vendor_text('pipeline_stage.probability'), 9, 4
                    ) }} >= 1
                    then 1
                else 0
            end
        ) = 1 as is_won
    from pipeline_stage
    where not {{ vendor_row_deleted('pipeline_stage.') }}
    group by {{ vendor_id('hubspot', 'pipeline_stage.stage_id') }}
),

deal_company_rows as (
    {{ vendor_union(
        'hubspot', 'deal_company', ['deal_id', 'company_id'], ['type_id']
    ) }}
),

deal_company as (
    {{ vendor_primary_association(
        'hubspot', 'deal_company_rows', 'deal_id', 'company_id', '5'
    ) }}
),

deal_contact_rows as (
    {{ vendor_union(
        'hubspot', 'deal_contact', ['deal_id', 'contact_id'], ['type_id']
    ) }}
),

deal_contact as (
    {{ vendor_primary_association(
        'hubspot', 'deal_contact_rows', 'deal_id', 'contact_id', '3'
    ) }}
),

deal_type_map as (
    select
        lower(trim({{ vendor_text('deal_type') }})) as deal_type,
        {{ normalize_code(vendor_text('order_type')) }} as order_type
    from {{ ref('hubspot_deal_type_map') }}
),

typed as (
    select
        deal._connector,
        {{ vendor_id('hubspot', 'deal.deal_id') }} as order_id,
        {{ vendor_id('hubspot', 'deal.deal_pipeline_stage_id') }} as stage_id,
        {{ vendor_value('deal.property_dealtype') }} as deal_type,
        {{ vendor_text('deal.property_closedate') }} as ordered_at,
        {{ vendor_text('deal.property_amount') }} as amount,
        coalesce(
            {{ vendor_value('deal.property_deal_currency_code') }},
            '{{ var("hubspot_default_currency", "USD") }}'
        ) as currency,
        {{ vendor_text('deal.' ~ channel_column) }} as channel,
        {{ vendor_row_deleted('deal.') }} as is_deleted,
        deal._fivetran_synced
    from deal
)

select
    typed._connector,
    typed.order_id,
    deal_company.associated_id as account_id,
    deal_contact.associated_id as contact_id,
    coalesce(deal_type_map.order_type, 'one_off') as order_type,
    typed.ordered_at,
    typed.amount,
    typed.currency,
    typed.channel,
    typed.deal_type,
    deal_type_map.order_type is null as is_unmapped_type,
    case
        when typed.is_deleted then 'deleted'
        when not coalesce(stage.is_won, false) then 'not_closed_won'
    end as exclusion_reason,
    typed._fivetran_synced
from typed
left join stage
    on typed.stage_id = stage.stage_id
left join deal_company
    on typed.order_id = deal_company.owner_id
        and deal_company.association_rank = 1
left join deal_contact
    on typed.order_id = deal_contact.owner_id
        and deal_contact.association_rank = 1
left join deal_type_map
    on lower(typed.deal_type) = deal_type_map.deal_type

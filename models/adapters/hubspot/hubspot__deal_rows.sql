{{ config(enabled=var('crm_source') == 'hubspot') }}
{{ vendor_require_columns('hubspot', 'deal', [
    'deal_id', 'deal_pipeline_stage_id', 'property_amount', 'property_closedate',
    '_fivetran_synced',
]) }}
{{ vendor_require_columns('hubspot', 'deal_pipeline_stage', ['stage_id', 'is_closed', 'probability']) }}
{{ vendor_require_columns('hubspot', 'deal_company', ['deal_id', 'company_id']) }}
{{ vendor_require_columns('hubspot', 'deal_contact', ['deal_id', 'contact_id']) }}
{%- set channel_column = var('hubspot_deal_channel_column', 'property_hs_analytics_source') -%}
-- One row per HubSpot deal row, in the raw contract's crm.orders shape, with
-- exclusion_reason when the adapter leaves it out: deleted (is_deleted / _fivetran_deleted),
-- not_closed_won (its pipeline stage is not closed with probability 1: HubSpot's won
-- stages; the `closed_won` stage column is deprecated and means closed). account_id and
-- contact_id through deal_company and deal_contact (the primary association first: type_id
-- 5 for companies, 3 for contacts; then the lowest id). order_type from the
-- hubspot_deal_type_map seed over property_dealtype (unmapped or empty: one_off, counted in
-- hubspot__unmapped_values); ordered_at from property_closedate; currency from
-- property_deal_currency_code, else var hubspot_default_currency; channel from the property
-- named by var hubspot_deal_channel_column (default property_hs_analytics_source), as
-- delivered for staging's channel_map.
with

deal as (
    select * from {{ source('hubspot', 'deal') }}
),

stage as (
    -- one row per stage id: won when any live row of it is closed with probability 1
    select
        {{ vendor_text('stage_id') }} as stage_id,
        max(
            case
                when {{ vendor_flag('is_closed') }}
                    and {{ try_cast_decimal(vendor_text('probability'), 9, 4) }} >= 1
                    then 1
                else 0
            end
        ) = 1 as is_won
    from {{ source('hubspot', 'deal_pipeline_stage') }}
    where not {{ vendor_row_deleted('hubspot', 'deal_pipeline_stage') }}
    group by {{ vendor_text('stage_id') }}
),

deal_company as (
    select
        {{ vendor_text('deal_id') }} as deal_id,
        {{ vendor_text('company_id') }} as company_id,
        row_number() over (
            partition by {{ vendor_text('deal_id') }}
            order by
                case when {{ vendor_text(vendor_optional('hubspot', 'deal_company', 'type_id')) }} = '5' then 0 else 1 end,
                {{ vendor_text('company_id') }}
        ) as association_rank
    from {{ source('hubspot', 'deal_company') }}
),

deal_contact as (
    select
        {{ vendor_text('deal_id') }} as deal_id,
        {{ vendor_text('contact_id') }} as contact_id,
        row_number() over (
            partition by {{ vendor_text('deal_id') }}
            order by
                case when {{ vendor_text(vendor_optional('hubspot', 'deal_contact', 'type_id')) }} = '3' then 0 else 1 end,
                {{ vendor_text('contact_id') }}
        ) as association_rank
    from {{ source('hubspot', 'deal_contact') }}
),

deal_type_map as (
    select
        lower(trim({{ vendor_text('deal_type') }})) as deal_type,
        {{ normalize_code(vendor_text('order_type')) }} as order_type
    from {{ ref('hubspot_deal_type_map') }}
),

typed as (
    select
        {{ vendor_text('deal.deal_id') }} as order_id,
        {{ vendor_text('deal.deal_pipeline_stage_id') }} as stage_id,
        nullif(trim({{ vendor_text(vendor_optional('hubspot', 'deal', 'property_dealtype', prefix='deal.')) }}), '')
            as deal_type,
        {{ vendor_text('deal.property_closedate') }} as ordered_at,
        {{ vendor_text('deal.property_amount') }} as amount,
        coalesce(
            {{ vendor_value(vendor_optional(
                'hubspot', 'deal', 'property_deal_currency_code', prefix='deal.'
            )) }},
            '{{ var("hubspot_default_currency", "USD") }}'
        ) as currency,
        {{ vendor_text(vendor_optional('hubspot', 'deal', channel_column, prefix='deal.')) }}
            as channel,
        {{ vendor_row_deleted('hubspot', 'deal', 'deal.') }} as is_deleted,
        deal._fivetran_synced
    from deal
)

select
    typed.order_id,
    deal_company.company_id as account_id,
    deal_contact.contact_id,
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
    on typed.order_id = deal_company.deal_id
    and deal_company.association_rank = 1
left join deal_contact
    on typed.order_id = deal_contact.deal_id
    and deal_contact.association_rank = 1
left join deal_type_map
    on lower(typed.deal_type) = deal_type_map.deal_type

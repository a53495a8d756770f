{{ config(enabled=var('crm_source') == 'salesforce') }}
{{ vendor_require_columns('salesforce', 'opportunity', [
    'id', 'account_id', 'amount', 'close_date', 'is_won', 'type', 'lead_source',
    '_fivetran_synced',
]) }}
-- One row per Salesforce opportunity row of every connector, in the raw contract's
-- crm.orders shape, with exclusion_reason when the adapter leaves it out: deleted
-- (is_deleted / _fivetran_deleted), history_version (_fivetran_active false),
-- not_closed_won (open or lost: is_won false). order_type from the
-- salesforce_order_type_map seed over `type` (unmapped or empty: one_off, counted in
-- salesforce__unmapped_values); ordered_at from last_stage_change_date (when the
-- connector lands it: the moment the deal was won) else close_date (a date); currency
-- from currency_iso_code (multi-currency orgs) else var salesforce_default_currency;
-- channel from lead_source through salesforce_lead_source_map (else as delivered, for
-- staging's channel_map).
with

opportunity as (
    {{ vendor_union('salesforce', 'opportunity', [
        'id', 'account_id', 'amount', 'close_date', 'is_won', 'type', 'lead_source',
        '_fivetran_synced',
    ], ['contact_id', 'last_stage_change_date', 'currency_iso_code']
        + vendor_state_columns(history=true)) }}
),

order_type_map as (
    select
        lower(trim({{ vendor_text('opportunity_type') }})) as opportunity_type,
        {{ normalize_code(vendor_text('order_type')) }} as order_type
    from {{ ref('salesforce_order_type_map') }}
),

lead_source_map as (
    select
        lower(trim({{ vendor_text('lead_source') }})) as lead_source,
        {{ vendor_text('channel_code') }} as channel_code
    from {{ ref('salesforce_lead_source_map') }}
),

typed as (
    select
        opportunity._connector,
        {{ vendor_id('salesforce', 'opportunity.id') }} as order_id,
        {{ vendor_id('salesforce', 'opportunity.account_id') }} as account_id,
        {{ vendor_id('salesforce', 'opportunity.contact_id') }} as contact_id,
        nullif(trim({{ vendor_text('opportunity.type') }}), '') as opportunity_type,
        coalesce(
            {{ vendor_value('opportunity.last_stage_change_date') }},
            {{ vendor_value('opportunity.close_date') }}
        ) as ordered_at,
        {{ vendor_text('opportunity.amount') }} as amount,
        coalesce(
            {{ vendor_value('opportunity.currency_iso_code') }},
            '{{ var("salesforce_default_currency", "USD") }}'
        ) as currency,
        nullif(trim({{ vendor_text('opportunity.lead_source') }}), '') as lead_source,
        {{ vendor_flag('opportunity.is_won') }} as is_won,
        {{ vendor_row_deleted('opportunity.') }} as is_deleted,
        {{ vendor_row_inactive('opportunity.') }} as is_inactive,
        opportunity._fivetran_synced
    from opportunity
)

select
    typed._connector,
    typed.order_id,
    typed.account_id,
    typed.contact_id,
    coalesce(order_type_map.order_type, 'one_off') as order_type,
    typed.ordered_at,
    typed.amount,
    typed.currency,
    coalesce(lead_source_map.channel_code, typed.lead_source) as channel,
    typed.opportunity_type,
    order_type_map.order_type is null as is_unmapped_type,
    typed.lead_source,
    lead_source_map.channel_code is null and typed.lead_source is not null
        as is_unmapped_lead_source,
    case
        when typed.is_deleted then 'deleted'
        when typed.is_inactive then 'history_version'
        when not typed.is_won then 'not_closed_won'
    end as exclusion_reason,
    typed._fivetran_synced
from typed
left join order_type_map
    on lower(typed.opportunity_type) = order_type_map.opportunity_type
left join lead_source_map
    on lower(typed.lead_source) = lead_source_map.lead_source

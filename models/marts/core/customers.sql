with

accounts as (
    select
        account_id,
        account_name,
        segment,
        country_code,
        created_at
    from {{ ref('stg_crm__accounts') }}
),

people as (
    select
        person_id,
        account_id
    from {{ ref('int_people_resolved_to_accounts') }}
),

account_stages as (
    select
        account_id,
        revenue_12m,
        orders_12m,
        tier,
        tier_rank,
        loyalty_stage,
        latest_nps_value,
        latest_csat_value,
        latest_response_at
    from {{ ref('int_accounts_assigned_tier_and_loyalty_stage') }}
),

touchpoint_events as (
    select
        account_id,
        occurred_at
    from {{ ref('int_touchpoint_events_unioned') }}
),

people_per_account as (
    select
        people.account_id,
        count(*) as people
    from people
    where people.account_id is not null
    group by people.account_id
),

events_per_account as (
    select
        touchpoint_events.account_id,
        min(touchpoint_events.occurred_at) as first_event_at,
        max(touchpoint_events.occurred_at) as last_event_at
    from touchpoint_events
    where touchpoint_events.account_id is not null
    group by touchpoint_events.account_id
),

vendor_attributes as (
    -- the vendor's extra columns (docs/sources.md): no rows unless configured
    {{ vendor_attributes_rows('crm') }}
),

final as (
    select
        accounts.account_id,
        -- a consumer account is named after its person: no raw PII leaves the warehouse
        case
            when accounts.segment = 'consumer' then null
            else accounts.account_name
        end as account_name,
        accounts.segment,
        accounts.country_code,
        accounts.created_at,
        cast(coalesce(people_per_account.people, 0) as bigint) as people,
        account_stages.orders_12m,
        account_stages.revenue_12m,
        account_stages.tier,
        cast(account_stages.tier_rank as integer) as tier_rank,
        account_stages.loyalty_stage,
        account_stages.latest_nps_value,
        account_stages.latest_csat_value,
        account_stages.latest_response_at,
        events_per_account.first_event_at,
        events_per_account.last_event_at,
        vendor_attributes.vendor_attributes
    from accounts
    inner join account_stages
        on accounts.account_id = account_stages.account_id
    left join people_per_account
        on accounts.account_id = people_per_account.account_id
    left join events_per_account
        on accounts.account_id = events_per_account.account_id
    left join vendor_attributes
        on accounts.account_id = vendor_attributes.id
)

select * from final

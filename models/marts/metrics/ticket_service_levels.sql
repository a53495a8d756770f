-- One row per ticket created on or before the as-of date, measured against the service
-- standard of its account's tier (seed service_standards) and against the floor row.
-- Tickets of unmatched requesters (no account) have tier 'unmatched' and the floor as
-- their target. A ticket without a first reply (or not solved) is `missed` once it has
-- been open longer than the target at the end of the as-of date, `pending` before; the
-- standard is met when both first reply and resolution are met, missed when either is
-- missed.
with

as_of as (
    select as_of_date from {{ ref('warehouse_as_of') }}
),

tickets as (
    select
        ticket_id,
        account_id,
        channel,
        category,
        touchpoint_code,
        created_at,
        first_reply_minutes,
        resolution_hours
    from {{ ref('tickets') }}
),

customers as (
    select
        account_id,
        tier
    from {{ ref('customers') }}
),

service_standards as (
    -- each tier's targets; tier 'unmatched' is held to the floor, so its targets are
    -- the floor's
    select
        tier,
        first_reply_target_minutes,
        resolution_target_hours
    from {{ ref('int_service_standards_paired_with_floor') }}
),

tiered_tickets as (
    select
        tickets.ticket_id,
        tickets.account_id,
        {{ account_attribute('tickets.account_id', 'customers.tier') }} as tier,
        tickets.channel,
        tickets.category,
        tickets.touchpoint_code,
        tickets.created_at,
        tickets.first_reply_minutes,
        tickets.resolution_hours,
        cast(
            {{ dbt.datediff(
                'tickets.created_at',
                dbt.dateadd('day', 1, 'cast(as_of.as_of_date as timestamp)'),
                'second'
            ) }} as {{ type_double() }}
        ) / 60 as minutes_open_at_as_of
    from tickets
    cross join as_of
    left join customers
        on tickets.account_id = customers.account_id
    where cast(tickets.created_at as date) <= as_of.as_of_date
),

targeted as (
    select
        tiered_tickets.ticket_id,
        tiered_tickets.account_id,
        tiered_tickets.tier,
        tiered_tickets.channel,
        tiered_tickets.category,
        tiered_tickets.touchpoint_code,
        tiered_tickets.created_at,
        tiered_tickets.first_reply_minutes,
        tiered_tickets.resolution_hours,
        tiered_tickets.minutes_open_at_as_of,
        cast(
            coalesce(
                tier_standards.first_reply_target_minutes,
                floor_standard.first_reply_target_minutes
            ) as {{ type_double() }}
        ) as first_reply_target_minutes,
        cast(
            coalesce(
                tier_standards.resolution_target_hours,
                floor_standard.resolution_target_hours
            ) as {{ type_double() }}
        ) as resolution_target_hours,
        cast(floor_standard.first_reply_target_minutes as {{ type_double() }})
            as floor_first_reply_target_minutes,
        cast(floor_standard.resolution_target_hours as {{ type_double() }})
            as floor_resolution_target_hours
    from tiered_tickets
    -- the floor: the targets of tier 'unmatched', the one row sure to exist (also for a
    -- tier the seed has no standard for)
    inner join service_standards as floor_standard
        on floor_standard.tier = 'unmatched'
    left join service_standards as tier_standards
        on tiered_tickets.tier = tier_standards.tier
),

statuses as (
    select
        targeted.ticket_id,
        targeted.account_id,
        targeted.tier,
        targeted.channel,
        targeted.category,
        targeted.touchpoint_code,
        targeted.created_at,
        targeted.first_reply_minutes,
        targeted.resolution_hours,
        targeted.minutes_open_at_as_of,
        targeted.first_reply_target_minutes,
        targeted.resolution_target_hours,
        targeted.floor_first_reply_target_minutes,
        targeted.floor_resolution_target_hours,
        {{ service_level_status(
            'targeted.first_reply_minutes',
            'targeted.minutes_open_at_as_of',
            'targeted.first_reply_target_minutes'
        ) }} as first_reply_status,
        {{ service_level_status(
            'targeted.resolution_hours',
            'targeted.minutes_open_at_as_of / 60',
            'targeted.resolution_target_hours'
        ) }} as resolution_status,
        {{ service_level_status(
            'targeted.first_reply_minutes',
            'targeted.minutes_open_at_as_of',
            'targeted.floor_first_reply_target_minutes'
        ) }} as first_reply_floor_status,
        {{ service_level_status(
            'targeted.resolution_hours',
            'targeted.minutes_open_at_as_of / 60',
            'targeted.floor_resolution_target_hours'
        ) }} as resolution_floor_status
    from targeted
),

final as (
    select
        statuses.ticket_id,
        statuses.account_id,
        statuses.tier,
        statuses.channel,
        statuses.category,
        statuses.touchpoint_code,
        statuses.created_at,
        statuses.first_reply_minutes,
        statuses.resolution_hours,
        statuses.minutes_open_at_as_of,
        statuses.first_reply_target_minutes,
        statuses.resolution_target_hours,
        statuses.floor_first_reply_target_minutes,
        statuses.floor_resolution_target_hours,
        statuses.first_reply_status,
        statuses.resolution_status,
        {{ service_standard_status(
            'statuses.first_reply_status', 'statuses.resolution_status'
        ) }} as standard_status,
        statuses.first_reply_floor_status,
        statuses.resolution_floor_status,
        {{ service_standard_status(
            'statuses.first_reply_floor_status', 'statuses.resolution_floor_status'
        ) }} as standard_floor_status
    from statuses
)

select * from final

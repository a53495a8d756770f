{{ config(enabled=var('ticketing_source') == 'zendesk') }}
-- One row per (vendor table, field, vendor value) that no mapping seed knows, with the
-- rows that carry it and what the adapter did instead: statuses (passed through;
-- staging quarantines the ticket), via channels (passed through to channel_map), user
-- roles (passed through; staging quarantines the event) and tickets no category row
-- matches (var zendesk_default_category; the value shown is the ticket type); schedule
-- time zones (left empty: staging quarantines the interval) and SLA metrics without a
-- contract metric (passed through: staging quarantines the policy row).
with

tickets as (
    select
        _connector,
        vendor_status,
        is_status_mapped,
        via_channel,
        is_channel_mapped,
        ticket_id,
        exclusion_reason
    from {{ ref('zendesk__ticket_rows') }}
),

categories as (
    select
        ticket_id,
        type_value,
        is_mapped
    from {{ ref('zendesk__ticket_categories') }}
),

users as (
    select
        vendor_role,
        is_role_mapped
    from {{ ref('zendesk__users') }}
),

schedules as (
    select
        zendesk_time_zone,
        is_time_zone_mapped
    from {{ ref('zendesk__schedules') }}
),

sla_policies as (
    select
        zendesk_metric,
        is_metric_mapped
    from {{ ref('zendesk__sla_policies') }}
),

unmapped as (
    select
        'ticket' as vendor_table,
        'status' as vendor_field,
        tickets.vendor_status as vendor_value,
        'passed through (staging quarantines it)' as fallback
    from tickets
    where not tickets.is_status_mapped
    union all
    select
        'ticket' as vendor_table,
        'via_channel' as vendor_field,
        tickets.via_channel as vendor_value,
        'passed through to channel_map' as fallback
    from tickets
    where not tickets.is_channel_mapped
        and tickets.exclusion_reason is null
    union all
    select
        'ticket' as vendor_table,
        'category (type shown)' as vendor_field,
        categories.type_value as vendor_value,
        'category {{ var("zendesk_default_category", "other") }}' as fallback
    from categories
    inner join tickets
        on categories.ticket_id = tickets.ticket_id
    where not categories.is_mapped
        and tickets.exclusion_reason is null
    union all
    select
        'user' as vendor_table,
        'role' as vendor_field,
        users.vendor_role as vendor_value,
        'passed through (staging quarantines its events)' as fallback
    from users
    where not users.is_role_mapped
    union all
    select
        'schedule' as vendor_table,
        'time_zone' as vendor_field,
        schedules.zendesk_time_zone as vendor_value,
        'left empty (staging quarantines the interval)' as fallback
    from schedules
    where not schedules.is_time_zone_mapped
    union all
    select
        'sla_policy_metric_history' as vendor_table,
        'metric' as vendor_field,
        sla_policies.zendesk_metric as vendor_value,
        'passed through (staging quarantines it)' as fallback
    from sla_policies
    where not sla_policies.is_metric_mapped
),

counted as (
    select
        'zendesk' as vendor,
        vendor_table,
        vendor_field,
        coalesce(vendor_value, '(empty)') as vendor_value,
        fallback,
        count(*) as row_count
    from unmapped
    group by 1, 2, 3, 4, 5
)

select * from counted

{{ config(enabled=var('ticketing_source') == 'zendesk') }}
-- One row per Zendesk ticket (of every connector): the contract category from
-- zendesk_category_map, over the ticket's custom category field, tags, form, group and
-- type (lowest priority wins, then the category name), or var zendesk_default_category
-- when nothing matches (is_mapped false, counted in unmapped_vendor_values).
with

tickets as (
    select
        ticket_id,
        group_id,
        form_value,
        type_value,
        custom_category_value
    from {{ ref('zendesk__ticket_rows') }}
),

tags as (
    {{ vendor_union('zendesk', 'ticket_tag', ['ticket_id', 'tags']) }}
),

groups as (
    {{ vendor_union('zendesk', 'group', ['id', 'name']) }}
),

category_map as (
    select
        {{ normalize_code('match_on') }} as match_on,
        {{ normalize_code('vendor_value') }} as vendor_value,
        category,
        priority
    from {{ ref('zendesk_category_map') }}
),

ticket_values as (
    select
        tickets.ticket_id,
        'custom_field' as match_on,
        tickets.custom_category_value as vendor_value
    from tickets
    where tickets.custom_category_value is not null
    union all
    select
        {{ vendor_id('zendesk', 'tags.ticket_id') }} as ticket_id,
        'tag' as match_on,
        {{ normalize_code('tags.tags') }} as vendor_value
    from tags
    union all
    select
        tickets.ticket_id,
        'form' as match_on,
        tickets.form_value as vendor_value
    from tickets
    where tickets.form_value is not null
    union all
    select
        tickets.ticket_id,
        'group' as match_on,
        {{ normalize_code('groups.name') }} as vendor_value
    from tickets
    inner join groups
        on tickets.group_id
            = {{ vendor_id('zendesk', 'groups.id', 'groups._connector') }}
    union all
    select
        tickets.ticket_id,
        'type' as match_on,
        tickets.type_value as vendor_value
    from tickets
    where tickets.type_value is not null
),

matches as (
    select
        ticket_values.ticket_id,
        category_map.category,
        row_number() over (
            partition by ticket_values.ticket_id
            order by category_map.priority, category_map.category
        ) as match_rank
    from ticket_values
    inner join category_map
        on ticket_values.match_on = category_map.match_on
            and ticket_values.vendor_value = category_map.vendor_value
),

categorised as (
    select
        tickets.ticket_id,
        coalesce(matches.category, '{{ var("zendesk_default_category", "other") }}')
            as category,
        matches.category is not null as is_mapped,
        tickets.type_value
    from tickets
    left join matches
        on tickets.ticket_id = matches.ticket_id
            and matches.match_rank = 1
)

select * from categorised

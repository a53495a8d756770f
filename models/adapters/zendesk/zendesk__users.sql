{{ config(enabled=var('ticketing_source') == 'zendesk') }}
-- One row per Zendesk user of every connector (key user_id): email and the contract
-- author_role of the user's role (zendesk_role_map; an unmapped role passes through).
with

users as (
    {{ vendor_union('zendesk', 'user', ['id', 'email', 'role']) }}
),

role_map as (
    select
        vendor_role,
        author_role
    from {{ ref('zendesk_role_map') }}
),

mapped as (
    select
        {{ vendor_id('zendesk', 'users.id') }} as user_id,
        users.email,
        {{ normalize_code('users.role') }} as vendor_role,
        coalesce(role_map.author_role, {{ normalize_code('users.role') }})
            as author_role,
        role_map.vendor_role is not null as is_role_mapped
    from users
    left join role_map
        on {{ normalize_code('users.role') }} = role_map.vendor_role
)

select * from mapped

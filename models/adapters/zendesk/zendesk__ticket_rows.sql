{{ config(enabled=var('ticketing_source') == 'zendesk') }}
-- Every Zendesk ticket row of every connector, with the contract values it maps to and
-- the reason it is excluded (if any). The one place the ticket columns are read.
{%- set extra = vendor_extra_column_list('zendesk', 'ticket') %}
{%- set optional = ['assignee_id'] %}
{%- for column in [
    var('zendesk_category_field', none),
    var('zendesk_root_cause_field', none),
    var('zendesk_channel_field', none),
] + extra %}
{%- if column and column not in optional %}{% do optional.append(column) %}{% endif %}
{%- endfor %}
with

tickets as (
    {{ vendor_union('zendesk', 'ticket', [
        'id', 'created_at', 'status', 'priority', 'type', 'requester_id', 'group_id',
        'ticket_form_id', 'via_channel', '_fivetran_deleted', '_fivetran_synced',
    ], optional) }}
),

status_map as (
    select
        vendor_status,
        status,
        is_excluded
    from {{ ref('zendesk_status_map') }}
),

channel_map as (
    select
        via_channel,
        raw_code
    from {{ ref('zendesk_channel_map') }}
),

typed as (
    select
        tickets._connector,
        {{ vendor_id('zendesk', 'tickets.id') }} as ticket_id,
        {{ vendor_id('zendesk', 'tickets.requester_id') }} as requester_id,
        {{ vendor_id('zendesk', 'tickets.group_id') }} as group_id,
        {{ vendor_id('zendesk', 'tickets.assignee_id') }} as assignee_id,
        {{ normalize_code(dbt.safe_cast('tickets.ticket_form_id', dbt.type_string())) }}
            as form_value,
        {{ normalize_code('tickets.type') }} as type_value,
        {{ normalize_code('tickets.status') }} as vendor_status,
        {{ normalize_code('tickets.priority') }} as priority,
        {{ normalize_code('tickets.via_channel') }} as via_channel,
        {%- if var('zendesk_category_field', none) %}
        {{ normalize_code(dbt.safe_cast(adapter.quote(var('zendesk_category_field')),
            dbt.type_string())) }} as custom_category_value,
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as custom_category_value,
        {%- endif %}
        {%- if var('zendesk_root_cause_field', none) %}
        {{ normalize_code(dbt.safe_cast(adapter.quote(var('zendesk_root_cause_field')),
            dbt.type_string())) }} as root_cause,
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as root_cause,
        {%- endif %}
        {%- if var('zendesk_channel_field', none) %}
        {{ normalize_code(dbt.safe_cast(adapter.quote(var('zendesk_channel_field')),
            dbt.type_string())) }} as channel_field_value,
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as channel_field_value,
        {%- endif %}
        {%- for column in extra %}
        {{ dbt.safe_cast(adapter.quote(column), dbt.type_string()) }}
            as {{ adapter.quote('extra__' ~ column) }},
        {%- endfor %}
        {{ vendor_timestamp('tickets.created_at') }} as created_at,
        coalesce({{ vendor_boolean('tickets._fivetran_deleted') }}, false)
            as is_deleted,
        tickets._fivetran_synced
    from tickets
),

mapped as (
    select
        typed.*,
        status_map.vendor_status is not null as is_status_mapped,
        coalesce(status_map.status, typed.vendor_status) as status,
        coalesce(
            typed.channel_field_value, channel_map.raw_code, typed.via_channel
        ) as channel,
        channel_map.via_channel is not null as is_channel_mapped,
        case
            when typed.is_deleted then 'fivetran_deleted'
            when status_map.is_excluded then 'deleted_status'
        end as exclusion_reason,
        row_number() over (
            partition by typed._connector
            order by typed.ticket_id
        ) as _source_row
    from typed
    left join status_map
        on typed.vendor_status = status_map.vendor_status
    left join channel_map
        on typed.via_channel = channel_map.via_channel
)

select * from mapped

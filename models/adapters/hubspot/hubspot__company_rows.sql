{{ config(enabled=var('crm_source') == 'hubspot') }}
{{ vendor_require_columns('hubspot', 'company', [
    'id', 'property_name', 'property_createdate', '_fivetran_synced',
]) }}
{%- set segment_column = var('hubspot_company_segment_column', 'property_type') -%}
-- One row per HubSpot company row of every connector, in the raw contract's
-- crm.accounts shape, with exclusion_reason 'deleted' (is_deleted / _fivetran_deleted)
-- when the adapter leaves it out. segment from the property named by var
-- hubspot_company_segment_column (default property_type), country from
-- property_country, created_at from property_createdate. The columns of var
-- vendor_extra_columns (hubspot: {company: [...]}) as extra__<column> (text). Ids
-- through vendor_id (several connectors: `<connector>:<id>`).
{%- set extra = vendor_extra_column_list('hubspot', 'company') %}
with

company as (
    {{ vendor_union('hubspot', 'company', [
        'id', 'property_name', 'property_createdate', '_fivetran_synced',
    ], [segment_column, 'property_country'] + extra + vendor_state_columns()) }}
)

select
    company._connector,
    {{ vendor_id('hubspot', 'company.id') }} as account_id,
    {{ vendor_text('company.property_name') }} as account_name,
    {{ vendor_text('company.' ~ segment_column) }} as segment,
    {{ vendor_text('company.property_country') }} as country,
    {{ vendor_text('company.property_createdate') }} as created_at,
    case
        when {{ vendor_row_deleted('company.') }} then 'deleted'
    end as exclusion_reason,
    {%- for column in extra %}
    company.{{ adapter.quote(column) }} as {{ adapter.quote('extra__' ~ column) }},
    {%- endfor %}
    company._fivetran_synced
from company

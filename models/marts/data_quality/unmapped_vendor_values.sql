-- Vendor values no mapping seed of seeds/adapters/ knows, per vendor table and field:
-- kept (passed through or given the documented fallback), counted here and warned by a
-- warn-severity test. No rows when every system is read from the contract.
{%- set vendors = [] %}
{%- for system in ['crm', 'ticketing', 'survey'] %}
{%- if var(system ~ '_source') != 'contract'
    and var(system ~ '_source') not in vendors %}
{%- do vendors.append(var(system ~ '_source')) %}
{%- endif %}
{%- endfor %}
with

{% if vendors | length > 0 -%}
final as (
    {%- for vendor in vendors %}
    select
        vendor,
        vendor_table,
        vendor_field,
        vendor_value,
        fallback,
        cast(row_count as bigint) as row_count
    from {{ ref(vendor ~ '__unmapped_values') }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)
{%- else -%}
final as (
    select
        cast(null as {{ dbt.type_string() }}) as vendor,
        cast(null as {{ dbt.type_string() }}) as vendor_table,
        cast(null as {{ dbt.type_string() }}) as vendor_field,
        cast(null as {{ dbt.type_string() }}) as vendor_value,
        cast(null as {{ dbt.type_string() }}) as fallback,
        cast(null as bigint) as row_count
    where 1 = 0
)
{%- endif %}

select * from final

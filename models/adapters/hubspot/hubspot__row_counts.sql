{{ config(enabled=var('crm_source') == 'hubspot') }}
-- One row per HubSpot table that feeds a raw contract table: the rows it holds (every version
-- in history mode), so that vendor_row_conservation can check that each is staged, excluded
-- (hubspot__excluded) or quarantined by staging. vendor_table is <connector>.<table>, the
-- _batch_id of the contract rows it gives.
{%- set feeds = [
    ('company', 'crm.accounts'),
    ('contact', 'crm.contacts'),
    ('deal', 'crm.orders'),
] %}
{% for table_name, contract_table in feeds %}
select
    cast('hubspot' as {{ dbt.type_string() }}) as vendor,
    cast('hubspot.{{ table_name }}' as {{ dbt.type_string() }}) as vendor_table,
    cast('{{ contract_table }}' as {{ dbt.type_string() }}) as contract_table,
    cast(count(*) as {{ dbt.type_bigint() }}) as vendor_rows
from {{ source('hubspot', table_name) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}

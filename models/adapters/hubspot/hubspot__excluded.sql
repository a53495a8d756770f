{{ config(enabled=var('crm_source') == 'hubspot') }}
-- One row per HubSpot vendor row the adapter leaves out before the raw contract, with why:
-- deleted (is_deleted / _fivetran_deleted), not_closed_won (a deal whose stage is not won).
-- Association and pipeline-stage rows feed no contract row of their own: not listed.
{% for vendor_table, model, key in [
    ('company', 'hubspot__company_rows', 'account_id'),
    ('contact', 'hubspot__contact_rows', 'contact_id'),
    ('deal', 'hubspot__deal_rows', 'order_id'),
] %}
select
    cast('hubspot.{{ vendor_table }}' as {{ dbt.type_string() }}) as vendor_table,
    {{ key }} as vendor_id,
    exclusion_reason
from {{ ref(model) }}
where exclusion_reason is not null
{% if not loop.last %}union all{% endif %}
{% endfor %}

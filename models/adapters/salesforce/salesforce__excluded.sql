{{ config(enabled=var('crm_source') == 'salesforce') }}
-- One row per Salesforce vendor row the adapter leaves out before the raw contract, with
-- why: deleted (is_deleted / _fivetran_deleted), history_version (_fivetran_active false),
-- not_closed_won (an opportunity that is open or lost). An old version's vendor_id is
-- <id>@<_fivetran_synced>.
{% for vendor_table, model, key in [
    ('account', 'salesforce__account_rows', 'account_id'),
    ('contact', 'salesforce__contact_rows', 'contact_id'),
    ('opportunity', 'salesforce__opportunity_rows', 'order_id'),
] %}
select
    cast('salesforce.{{ vendor_table }}' as {{ dbt.type_string() }}) as vendor_table,
    case
        when exclusion_reason = 'history_version'
            then {{ dbt.concat([key, "'@'", vendor_text('_fivetran_synced')]) }}
        else {{ key }}
    end as vendor_id,
    exclusion_reason
from {{ ref(model) }}
where exclusion_reason is not null
{% if not loop.last %}union all{% endif %}
{% endfor %}

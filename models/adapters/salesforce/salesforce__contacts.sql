{{ config(enabled=var('crm_source') == 'salesforce') }}
-- One row per kept Salesforce contact (salesforce__contact_rows without exclusion reason),
-- as a raw crm.contacts row (text).
with

contact_rows as (
    select * from {{ ref('salesforce__contact_rows') }}
    where exclusion_reason is null
)

select
    contact_rows.contact_id,
    contact_rows.account_id,
    contact_rows.email,
    contact_rows.full_name,
    contact_rows.phone,
    contact_rows.is_billing_contact,
    contact_rows.created_at,
    cast('salesforce.contact' as {{ dbt.type_string() }}) as _source_file,
    row_number() over (order by contact_rows.contact_id) as _source_row,
    cast('salesforce.contact' as {{ dbt.type_string() }}) as _batch_id,
    cast(contact_rows._fivetran_synced as {{ dbt.type_timestamp() }}) as _loaded_at
from contact_rows

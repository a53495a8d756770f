{{ config(enabled=var('crm_source') == 'salesforce') }}
-- No rows: Salesforce holds no invoices (billing systems do). The raw crm.invoices shape,
-- empty, so that staging and marts build; the billing touchpoint is then fed by tickets of
-- the billing categories only (docs/sources_crm_survey.md).
select
    cast(null as {{ dbt.type_string() }}) as invoice_id,
    cast(null as {{ dbt.type_string() }}) as account_id,
    cast(null as {{ dbt.type_string() }}) as order_id,
    cast(null as {{ dbt.type_string() }}) as issued_at,
    cast(null as {{ dbt.type_string() }}) as due_at,
    cast(null as {{ dbt.type_string() }}) as paid_at,
    cast(null as {{ dbt.type_string() }}) as amount,
    cast(null as {{ dbt.type_string() }}) as is_disputed,
    cast(null as {{ dbt.type_string() }}) as _source_file,
    cast(null as {{ dbt.type_bigint() }}) as _source_row,
    cast(null as {{ dbt.type_string() }}) as _batch_id,
    cast(null as {{ dbt.type_timestamp() }}) as _loaded_at
from (select 1 as no_row) as nothing
where 1 = 0

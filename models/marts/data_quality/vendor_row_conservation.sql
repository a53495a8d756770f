-- Conservation from the vendor rows (docs/sources.md): for every vendor table that
-- feeds a raw contract table, its rows = rows staged + rows excluded by the adapter
-- (with why, in <vendor>__excluded) + rows quarantined by staging. The adapters set the
-- lineage column _batch_id to `<connector>.<vendor table>`, which is how staged and
-- quarantined rows are traced back. No rows when every system is read from the
-- contract.
{%- set vendors = [] %}
{%- for system in ['crm', 'ticketing', 'survey'] %}
{%- if var(system ~ '_source') != 'contract'
    and var(system ~ '_source') not in vendors %}
{%- do vendors.append(var(system ~ '_source')) %}
{%- endif %}
{%- endfor %}
{%- set tables = [
    ('crm', 'accounts'), ('crm', 'contacts'), ('crm', 'orders'), ('crm', 'invoices'),
    ('ticketing', 'tickets'), ('ticketing', 'ticket_events'),
    ('survey', 'surveys'), ('survey', 'questions'), ('survey', 'responses'),
    ('survey', 'answers'),
] %}
with

{% if vendors | length > 0 -%}
vendor_rows as (
    {%- for vendor in vendors %}
    select
        vendor,
        vendor_table,
        contract_table,
        vendor_rows
    from {{ ref(vendor ~ '__row_counts') }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

excluded as (
    {%- for vendor in vendors %}
    select
        vendor_table,
        cast(count(*) as bigint) as excluded_rows
    from {{ ref(vendor ~ '__excluded') }}
    group by vendor_table
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

staged as (
    {%- for system, table in tables %}
    select
        _batch_id,
        cast(count(*) as bigint) as staged_rows
    from {{ ref('stg_' ~ system ~ '__' ~ table) }}
    group by _batch_id
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

quarantined as (
    {%- for system, table in tables %}
    select
        _batch_id,
        cast(count(*) as bigint) as quarantined_rows
    from {{ ref('stg_' ~ system ~ '__' ~ table ~ '_quarantine') }}
    group by _batch_id
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

final as (
    select
        vendor_rows.vendor,
        vendor_rows.vendor_table,
        vendor_rows.contract_table,
        vendor_rows.vendor_rows,
        coalesce(staged.staged_rows, 0) as staged_rows,
        coalesce(excluded.excluded_rows, 0) as excluded_rows,
        coalesce(quarantined.quarantined_rows, 0) as quarantined_rows,
        vendor_rows.vendor_rows = coalesce(staged.staged_rows, 0)
        + coalesce(excluded.excluded_rows, 0)
        + coalesce(quarantined.quarantined_rows, 0) as is_conserved
    from vendor_rows
    left join staged
        on vendor_rows.vendor_table = staged._batch_id
    left join excluded
        on vendor_rows.vendor_table = excluded.vendor_table
    left join quarantined
        on vendor_rows.vendor_table = quarantined._batch_id
)
{%- else -%}
final as (
    select
        cast(null as {{ dbt.type_string() }}) as vendor,
        cast(null as {{ dbt.type_string() }}) as vendor_table,
        cast(null as {{ dbt.type_string() }}) as contract_table,
        cast(null as bigint) as vendor_rows,
        cast(null as bigint) as staged_rows,
        cast(null as bigint) as excluded_rows,
        cast(null as bigint) as quarantined_rows,
        cast(null as boolean) as is_conserved
    where 1 = 0
)
{%- endif %}

select * from final

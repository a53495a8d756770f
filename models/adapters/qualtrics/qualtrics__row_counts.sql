{{ config(enabled=var('survey_source') == 'qualtrics') }}
-- One row per connector and Qualtrics table that feeds a raw contract table: the rows
-- it holds, so that vendor_row_conservation can check that each is staged, excluded
-- (qualtrics__excluded) or quarantined by staging. vendor_table is <connector>.<table>,
-- the _batch_id of the contract rows it gives. survey.questions is fed by question keys
-- (a matrix question gives one per sub-question, a looped one one per loop): its rows
-- are the question keys plus the question rows excluded as deleted or of a deleted
-- survey.
with

counted as (
    {{ vendor_row_counts('qualtrics', [
        ('survey', 'survey.surveys'),
        ('survey_response', 'survey.responses'),
        ('question_response', 'survey.answers'),
    ]) | indent(4) }}
),

question_rows as (
    select
        {{ dbt.concat(["_connector", "'.question'"]) }} as vendor_table,
        cast(count(*) as {{ dbt.type_bigint() }}) as vendor_rows
    from {{ ref('qualtrics__question_keys') }}
    group by _connector
    union all
    select
        vendor_table,
        cast(count(*) as {{ dbt.type_bigint() }}) as vendor_rows
    from {{ ref('qualtrics__excluded') }}
    where exclusion_reason in ('deleted', 'survey_deleted')
        and vendor_table like '%.question'
    group by vendor_table
)

select
    vendor,
    vendor_table,
    contract_table,
    vendor_rows
from counted
union all
select
    cast('qualtrics' as {{ dbt.type_string() }}) as vendor,
    vendor_table,
    cast('survey.questions' as {{ dbt.type_string() }}) as contract_table,
    cast(sum(vendor_rows) as {{ dbt.type_bigint() }}) as vendor_rows
from question_rows
group by vendor_table

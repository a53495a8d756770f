{{ config(enabled=var('survey_source') == 'qualtrics') }}
-- One row per Qualtrics table that feeds a raw contract table: the rows it holds, so that
-- vendor_row_conservation can check that each is staged, excluded (qualtrics__excluded) or
-- quarantined by staging. vendor_table is <connector>.<table>, the _batch_id of the contract
-- rows it gives. survey.questions is fed by question keys (a matrix question gives one per
-- sub-question, a looped one one per loop): its rows are the question keys plus the question
-- rows excluded as deleted or of a deleted survey.
with

question_keys as (
    select count(*) as key_rows from {{ ref('qualtrics__question_keys') }}
),

dropped_questions as (
    select count(*) as dropped_rows
    from {{ ref('qualtrics__excluded') }}
    where vendor_table = 'qualtrics.question'
        and exclusion_reason in ('deleted', 'survey_deleted')
),

counted as (
    {%- for table_name, contract_table in [
        ('survey', 'survey.surveys'),
        ('survey_response', 'survey.responses'),
        ('question_response', 'survey.answers'),
    ] %}
    select
        cast('qualtrics.{{ table_name }}' as {{ dbt.type_string() }}) as vendor_table,
        cast('{{ contract_table }}' as {{ dbt.type_string() }}) as contract_table,
        count(*) as vendor_rows
    from {{ source('qualtrics', table_name) }}
    union all
    {%- endfor %}
    select
        cast('qualtrics.question' as {{ dbt.type_string() }}) as vendor_table,
        cast('survey.questions' as {{ dbt.type_string() }}) as contract_table,
        question_keys.key_rows + dropped_questions.dropped_rows as vendor_rows
    from question_keys
    cross join dropped_questions
)

select
    cast('qualtrics' as {{ dbt.type_string() }}) as vendor,
    counted.vendor_table,
    counted.contract_table,
    cast(counted.vendor_rows as {{ dbt.type_bigint() }}) as vendor_rows
from counted

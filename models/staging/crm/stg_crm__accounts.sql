with

accounts as (
    select
        account_id,
        account_name,
        segment,
        country_code,
        created_at,
        _source_row,
        _batch_id
    from {{ ref('base_crm__accounts') }}
    where quarantine_reason is null
)

select * from accounts

with

contacts as (
    select
        contact_id,
        account_id,
        email,
        full_name,
        phone,
        is_billing_contact,
        created_at,
        _source_row,
        _batch_id
    from {{ ref('base_crm__contacts') }}
    where quarantine_reason is null
)

select * from contacts

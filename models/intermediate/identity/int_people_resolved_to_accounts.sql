-- One row per person: every valid CRM contact (a person of its account), plus one
-- unmatched person per normalised email that tickets or survey responses carry and no
-- contact holds. Unmatched people have no account; they are kept so that they can be
-- counted.
with

contacts as (
    select
        contact_id,
        account_id,
        email,
        is_billing_contact,
        created_at
    from {{ ref('stg_crm__contacts') }}
),

emails as (
    select
        email,
        person_id,
        is_matched,
        first_seen_at
    from {{ ref('int_emails_resolved_to_people') }}
),

contact_people as (
    select
        {{ salted_person_id('contact', 'contacts.contact_id') }} as person_id,
        'contact' as person_kind,
        contacts.contact_id,
        contacts.account_id,
        contacts.email,
        true as is_matched,
        coalesce(contacts.is_billing_contact, false) as is_billing_contact,
        case
            when contacts.is_billing_contact then 'payer'
            else 'user'
        end as person_role,
        contacts.created_at
    from contacts
),

unmatched_people as (
    select
        emails.person_id,
        'email' as person_kind,
        cast(null as {{ dbt.type_string() }}) as contact_id,
        cast(null as {{ dbt.type_string() }}) as account_id,
        emails.email,
        false as is_matched,
        false as is_billing_contact,
        'unmatched' as person_role,
        -- an unmatched person exists from the first ticket or response that names it
        emails.first_seen_at as created_at
    from emails
    where not emails.is_matched
),

people as (
    select
        contact_people.person_id,
        contact_people.person_kind,
        contact_people.contact_id,
        contact_people.account_id,
        contact_people.email,
        contact_people.is_matched,
        contact_people.is_billing_contact,
        contact_people.person_role,
        contact_people.created_at
    from contact_people
    union all
    select
        unmatched_people.person_id,
        unmatched_people.person_kind,
        unmatched_people.contact_id,
        unmatched_people.account_id,
        unmatched_people.email,
        unmatched_people.is_matched,
        unmatched_people.is_billing_contact,
        unmatched_people.person_role,
        unmatched_people.created_at
    from unmatched_people
)

select * from people

-- One row per normalised email seen in CRM contacts, ticket requesters or survey
-- respondents, resolved to the person it identifies. An email held by one contact is
-- that contact; held by several, the earliest created contact wins (created_at, then
-- contact_id; contacts without created_at last). An email held by no contact is an
-- unmatched person of its own, kept and counted, never dropped.
with

contacts as (
    select
        contact_id,
        account_id,
        email,
        created_at
    from {{ ref('stg_crm__contacts') }}
),

tickets as (
    select
        requester_email,
        created_at
    from {{ ref('stg_ticketing__tickets') }}
),

responses as (
    select
        respondent_email,
        submitted_at
    from {{ ref('stg_survey__responses') }}
),

contact_emails_ranked as (
    select
        contacts.email,
        contacts.contact_id,
        contacts.account_id,
        row_number() over (
            partition by contacts.email
            order by contacts.created_at asc nulls last, contacts.contact_id asc
        ) as email_rank,
        count(*) over (partition by contacts.email) as contacts_sharing_email
    from contacts
    where contacts.email is not null
),

chosen_contacts as (
    select
        contact_emails_ranked.email,
        contact_emails_ranked.contact_id,
        contact_emails_ranked.account_id,
        contact_emails_ranked.contacts_sharing_email
    from contact_emails_ranked
    where contact_emails_ranked.email_rank = 1
),

observed_emails as (
    select
        tickets.requester_email as email,
        tickets.created_at as seen_at
    from tickets
    union all
    select
        responses.respondent_email as email,
        responses.submitted_at as seen_at
    from responses
),

observed_summary as (
    select
        observed_emails.email,
        min(observed_emails.seen_at) as first_seen_at
    from observed_emails
    group by observed_emails.email
),

all_emails as (
    -- de-duplication meant: an email seen in several systems is one person
    select chosen_contacts.email from chosen_contacts
    union
    select observed_summary.email from observed_summary
),

resolved as (
    select
        all_emails.email,
        case
            when chosen_contacts.contact_id is not null
                then {{ salted_person_id('contact', 'chosen_contacts.contact_id') }}
            else {{ salted_person_id('email', 'all_emails.email') }}
        end as person_id,
        chosen_contacts.contact_id,
        chosen_contacts.account_id,
        chosen_contacts.contact_id is not null as is_matched,
        coalesce(chosen_contacts.contacts_sharing_email, 0) as contacts_sharing_email,
        observed_summary.first_seen_at
    from all_emails
    left join chosen_contacts
        on all_emails.email = chosen_contacts.email
    left join observed_summary
        on all_emails.email = observed_summary.email
)

select * from resolved

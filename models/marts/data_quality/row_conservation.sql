-- Raw rows are counted through the staging base_ models, which hold every delivered row
-- (marts never read sources). A raw row is (_batch_id, _source_row): a delta delivery
-- merges rows of several files into one raw table. Counting distinct rows there keeps a join that
-- duplicates rows in staging from passing for extra raw rows: it shows as not
-- conserved.
with

base_crm_accounts as (
    select _batch_id, _source_row from {{ ref('base_crm__accounts') }}
),

staged_crm_accounts as (
    select _batch_id, _source_row from {{ ref('stg_crm__accounts') }}
),

quarantined_crm_accounts as (
    select _batch_id, _source_row from {{ ref('stg_crm__accounts_quarantine') }}
),

base_crm_contacts as (
    select _batch_id, _source_row from {{ ref('base_crm__contacts') }}
),

staged_crm_contacts as (
    select _batch_id, _source_row from {{ ref('stg_crm__contacts') }}
),

quarantined_crm_contacts as (
    select _batch_id, _source_row from {{ ref('stg_crm__contacts_quarantine') }}
),

base_crm_orders as (
    select _batch_id, _source_row from {{ ref('base_crm__orders') }}
),

staged_crm_orders as (
    select _batch_id, _source_row from {{ ref('stg_crm__orders') }}
),

quarantined_crm_orders as (
    select _batch_id, _source_row from {{ ref('stg_crm__orders_quarantine') }}
),

base_crm_invoices as (
    select _batch_id, _source_row from {{ ref('base_crm__invoices') }}
),

staged_crm_invoices as (
    select _batch_id, _source_row from {{ ref('stg_crm__invoices') }}
),

quarantined_crm_invoices as (
    select _batch_id, _source_row from {{ ref('stg_crm__invoices_quarantine') }}
),

base_ticketing_tickets as (
    select _batch_id, _source_row from {{ ref('base_ticketing__tickets') }}
),

staged_ticketing_tickets as (
    select _batch_id, _source_row from {{ ref('stg_ticketing__tickets') }}
),

quarantined_ticketing_tickets as (
    select _batch_id, _source_row from {{ ref('stg_ticketing__tickets_quarantine') }}
),

base_ticketing_ticket_events as (
    select _batch_id, _source_row from {{ ref('base_ticketing__ticket_events') }}
),

staged_ticketing_ticket_events as (
    select _batch_id, _source_row from {{ ref('stg_ticketing__ticket_events') }}
),

quarantined_ticketing_ticket_events as (
    select _batch_id, _source_row from {{ ref('stg_ticketing__ticket_events_quarantine') }}
),

base_survey_surveys as (
    select _batch_id, _source_row from {{ ref('base_survey__surveys') }}
),

staged_survey_surveys as (
    select _batch_id, _source_row from {{ ref('stg_survey__surveys') }}
),

quarantined_survey_surveys as (
    select _batch_id, _source_row from {{ ref('stg_survey__surveys_quarantine') }}
),

base_survey_questions as (
    select _batch_id, _source_row from {{ ref('base_survey__questions') }}
),

staged_survey_questions as (
    select _batch_id, _source_row from {{ ref('stg_survey__questions') }}
),

quarantined_survey_questions as (
    select _batch_id, _source_row from {{ ref('stg_survey__questions_quarantine') }}
),

base_survey_responses as (
    select _batch_id, _source_row from {{ ref('base_survey__responses') }}
),

staged_survey_responses as (
    select _batch_id, _source_row from {{ ref('stg_survey__responses') }}
),

quarantined_survey_responses as (
    select _batch_id, _source_row from {{ ref('stg_survey__responses_quarantine') }}
),

base_survey_answers as (
    select _batch_id, _source_row from {{ ref('base_survey__answers') }}
),

staged_survey_answers as (
    select _batch_id, _source_row from {{ ref('stg_survey__answers') }}
),

quarantined_survey_answers as (
    select _batch_id, _source_row from {{ ref('stg_survey__answers_quarantine') }}
),

raw_tables as (
    select 'crm.accounts' as table_name
    union all
    select 'crm.contacts' as table_name
    union all
    select 'crm.orders' as table_name
    union all
    select 'crm.invoices' as table_name
    union all
    select 'ticketing.tickets' as table_name
    union all
    select 'ticketing.ticket_events' as table_name
    union all
    select 'survey.surveys' as table_name
    union all
    select 'survey.questions' as table_name
    union all
    select 'survey.responses' as table_name
    union all
    select 'survey.answers' as table_name
),

delivered_rows as (
    select
        'crm.accounts' as table_name,
        base_crm_accounts._batch_id,
        base_crm_accounts._source_row
    from base_crm_accounts
    union all
    select
        'crm.contacts' as table_name,
        base_crm_contacts._batch_id,
        base_crm_contacts._source_row
    from base_crm_contacts
    union all
    select
        'crm.orders' as table_name,
        base_crm_orders._batch_id,
        base_crm_orders._source_row
    from base_crm_orders
    union all
    select
        'crm.invoices' as table_name,
        base_crm_invoices._batch_id,
        base_crm_invoices._source_row
    from base_crm_invoices
    union all
    select
        'ticketing.tickets' as table_name,
        base_ticketing_tickets._batch_id,
        base_ticketing_tickets._source_row
    from base_ticketing_tickets
    union all
    select
        'ticketing.ticket_events' as table_name,
        base_ticketing_ticket_events._batch_id,
        base_ticketing_ticket_events._source_row
    from base_ticketing_ticket_events
    union all
    select
        'survey.surveys' as table_name,
        base_survey_surveys._batch_id,
        base_survey_surveys._source_row
    from base_survey_surveys
    union all
    select
        'survey.questions' as table_name,
        base_survey_questions._batch_id,
        base_survey_questions._source_row
    from base_survey_questions
    union all
    select
        'survey.responses' as table_name,
        base_survey_responses._batch_id,
        base_survey_responses._source_row
    from base_survey_responses
    union all
    select
        'survey.answers' as table_name,
        base_survey_answers._batch_id,
        base_survey_answers._source_row
    from base_survey_answers
),

staged_rows as (
    select
        'crm.accounts' as table_name,
        staged_crm_accounts._batch_id,
        staged_crm_accounts._source_row
    from staged_crm_accounts
    union all
    select
        'crm.contacts' as table_name,
        staged_crm_contacts._batch_id,
        staged_crm_contacts._source_row
    from staged_crm_contacts
    union all
    select
        'crm.orders' as table_name,
        staged_crm_orders._batch_id,
        staged_crm_orders._source_row
    from staged_crm_orders
    union all
    select
        'crm.invoices' as table_name,
        staged_crm_invoices._batch_id,
        staged_crm_invoices._source_row
    from staged_crm_invoices
    union all
    select
        'ticketing.tickets' as table_name,
        staged_ticketing_tickets._batch_id,
        staged_ticketing_tickets._source_row
    from staged_ticketing_tickets
    union all
    select
        'ticketing.ticket_events' as table_name,
        staged_ticketing_ticket_events._batch_id,
        staged_ticketing_ticket_events._source_row
    from staged_ticketing_ticket_events
    union all
    select
        'survey.surveys' as table_name,
        staged_survey_surveys._batch_id,
        staged_survey_surveys._source_row
    from staged_survey_surveys
    union all
    select
        'survey.questions' as table_name,
        staged_survey_questions._batch_id,
        staged_survey_questions._source_row
    from staged_survey_questions
    union all
    select
        'survey.responses' as table_name,
        staged_survey_responses._batch_id,
        staged_survey_responses._source_row
    from staged_survey_responses
    union all
    select
        'survey.answers' as table_name,
        staged_survey_answers._batch_id,
        staged_survey_answers._source_row
    from staged_survey_answers
),

quarantined_rows as (
    select
        'crm.accounts' as table_name,
        quarantined_crm_accounts._batch_id,
        quarantined_crm_accounts._source_row
    from quarantined_crm_accounts
    union all
    select
        'crm.contacts' as table_name,
        quarantined_crm_contacts._batch_id,
        quarantined_crm_contacts._source_row
    from quarantined_crm_contacts
    union all
    select
        'crm.orders' as table_name,
        quarantined_crm_orders._batch_id,
        quarantined_crm_orders._source_row
    from quarantined_crm_orders
    union all
    select
        'crm.invoices' as table_name,
        quarantined_crm_invoices._batch_id,
        quarantined_crm_invoices._source_row
    from quarantined_crm_invoices
    union all
    select
        'ticketing.tickets' as table_name,
        quarantined_ticketing_tickets._batch_id,
        quarantined_ticketing_tickets._source_row
    from quarantined_ticketing_tickets
    union all
    select
        'ticketing.ticket_events' as table_name,
        quarantined_ticketing_ticket_events._batch_id,
        quarantined_ticketing_ticket_events._source_row
    from quarantined_ticketing_ticket_events
    union all
    select
        'survey.surveys' as table_name,
        quarantined_survey_surveys._batch_id,
        quarantined_survey_surveys._source_row
    from quarantined_survey_surveys
    union all
    select
        'survey.questions' as table_name,
        quarantined_survey_questions._batch_id,
        quarantined_survey_questions._source_row
    from quarantined_survey_questions
    union all
    select
        'survey.responses' as table_name,
        quarantined_survey_responses._batch_id,
        quarantined_survey_responses._source_row
    from quarantined_survey_responses
    union all
    select
        'survey.answers' as table_name,
        quarantined_survey_answers._batch_id,
        quarantined_survey_answers._source_row
    from quarantined_survey_answers
),

distinct_delivered_rows as (
    select distinct
        delivered_rows.table_name,
        delivered_rows._batch_id,
        delivered_rows._source_row
    from delivered_rows
),

delivered_counts as (
    select
        distinct_delivered_rows.table_name,
        count(*) as raw_rows
    from distinct_delivered_rows
    group by distinct_delivered_rows.table_name
),

staged_counts as (
    select
        staged_rows.table_name,
        count(*) as staged_rows
    from staged_rows
    group by staged_rows.table_name
),

quarantined_counts as (
    select
        quarantined_rows.table_name,
        count(*) as quarantined_rows
    from quarantined_rows
    group by quarantined_rows.table_name
),

counted as (
    select
        raw_tables.table_name,
        coalesce(delivered_counts.raw_rows, 0) as raw_rows,
        coalesce(staged_counts.staged_rows, 0) as staged_rows,
        coalesce(quarantined_counts.quarantined_rows, 0) as quarantined_rows
    from raw_tables
    left join delivered_counts
        on raw_tables.table_name = delivered_counts.table_name
    left join staged_counts
        on raw_tables.table_name = staged_counts.table_name
    left join quarantined_counts
        on raw_tables.table_name = quarantined_counts.table_name
),

final as (
    select
        counted.table_name,
        cast(counted.raw_rows as bigint) as raw_rows,
        cast(counted.staged_rows as bigint) as staged_rows,
        cast(counted.quarantined_rows as bigint) as quarantined_rows,
        counted.raw_rows = counted.staged_rows + counted.quarantined_rows
            as is_conserved
    from counted
)

select * from final

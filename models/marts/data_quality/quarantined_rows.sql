with

crm_accounts as (
    select
        _source_file,
        _batch_id,
        _source_row,
        quarantine_reason
    from {{ ref('stg_crm__accounts_quarantine') }}
),

crm_contacts as (
    select
        _source_file,
        _batch_id,
        _source_row,
        quarantine_reason
    from {{ ref('stg_crm__contacts_quarantine') }}
),

crm_orders as (
    select
        _source_file,
        _batch_id,
        _source_row,
        quarantine_reason
    from {{ ref('stg_crm__orders_quarantine') }}
),

crm_invoices as (
    select
        _source_file,
        _batch_id,
        _source_row,
        quarantine_reason
    from {{ ref('stg_crm__invoices_quarantine') }}
),

ticketing_tickets as (
    select
        _source_file,
        _batch_id,
        _source_row,
        quarantine_reason
    from {{ ref('stg_ticketing__tickets_quarantine') }}
),

ticketing_ticket_events as (
    select
        _source_file,
        _batch_id,
        _source_row,
        quarantine_reason
    from {{ ref('stg_ticketing__ticket_events_quarantine') }}
),

survey_surveys as (
    select
        _source_file,
        _batch_id,
        _source_row,
        quarantine_reason
    from {{ ref('stg_survey__surveys_quarantine') }}
),

survey_questions as (
    select
        _source_file,
        _batch_id,
        _source_row,
        quarantine_reason
    from {{ ref('stg_survey__questions_quarantine') }}
),

survey_responses as (
    select
        _source_file,
        _batch_id,
        _source_row,
        quarantine_reason
    from {{ ref('stg_survey__responses_quarantine') }}
),

survey_answers as (
    select
        _source_file,
        _batch_id,
        _source_row,
        quarantine_reason
    from {{ ref('stg_survey__answers_quarantine') }}
),

-- an optional support table (issue 16) has no quarantine model: its base model keeps
-- every delivered row with the rule it breaks
ticketing_schedules as (
    select
        _source_file,
        _batch_id,
        _source_row,
        quarantine_reason
    from {{ ref('base_ticketing__schedules') }}
    where quarantine_reason is not null
),

-- an optional support table (issue 16) has no quarantine model: its base model keeps
-- every delivered row with the rule it breaks
ticketing_holidays as (
    select
        _source_file,
        _batch_id,
        _source_row,
        quarantine_reason
    from {{ ref('base_ticketing__holidays') }}
    where quarantine_reason is not null
),

-- an optional support table (issue 16) has no quarantine model: its base model keeps
-- every delivered row with the rule it breaks
ticketing_sla_policies as (
    select
        _source_file,
        _batch_id,
        _source_row,
        quarantine_reason
    from {{ ref('base_ticketing__sla_policies') }}
    where quarantine_reason is not null
),

unioned as (
    select
        'crm.accounts' as table_name,
        crm_accounts._source_file as source_file,
        crm_accounts._batch_id as batch_id,
        crm_accounts._source_row as source_row,
        crm_accounts.quarantine_reason
    from crm_accounts
    union all
    select
        'crm.contacts' as table_name,
        crm_contacts._source_file as source_file,
        crm_contacts._batch_id as batch_id,
        crm_contacts._source_row as source_row,
        crm_contacts.quarantine_reason
    from crm_contacts
    union all
    select
        'crm.orders' as table_name,
        crm_orders._source_file as source_file,
        crm_orders._batch_id as batch_id,
        crm_orders._source_row as source_row,
        crm_orders.quarantine_reason
    from crm_orders
    union all
    select
        'crm.invoices' as table_name,
        crm_invoices._source_file as source_file,
        crm_invoices._batch_id as batch_id,
        crm_invoices._source_row as source_row,
        crm_invoices.quarantine_reason
    from crm_invoices
    union all
    select
        'ticketing.tickets' as table_name,
        ticketing_tickets._source_file as source_file,
        ticketing_tickets._batch_id as batch_id,
        ticketing_tickets._source_row as source_row,
        ticketing_tickets.quarantine_reason
    from ticketing_tickets
    union all
    select
        'ticketing.ticket_events' as table_name,
        ticketing_ticket_events._source_file as source_file,
        ticketing_ticket_events._batch_id as batch_id,
        ticketing_ticket_events._source_row as source_row,
        ticketing_ticket_events.quarantine_reason
    from ticketing_ticket_events
    union all
    select
        'survey.surveys' as table_name,
        survey_surveys._source_file as source_file,
        survey_surveys._batch_id as batch_id,
        survey_surveys._source_row as source_row,
        survey_surveys.quarantine_reason
    from survey_surveys
    union all
    select
        'survey.questions' as table_name,
        survey_questions._source_file as source_file,
        survey_questions._batch_id as batch_id,
        survey_questions._source_row as source_row,
        survey_questions.quarantine_reason
    from survey_questions
    union all
    select
        'survey.responses' as table_name,
        survey_responses._source_file as source_file,
        survey_responses._batch_id as batch_id,
        survey_responses._source_row as source_row,
        survey_responses.quarantine_reason
    from survey_responses
    union all
    select
        'survey.answers' as table_name,
        survey_answers._source_file as source_file,
        survey_answers._batch_id as batch_id,
        survey_answers._source_row as source_row,
        survey_answers.quarantine_reason
    from survey_answers
    union all
    select
        'ticketing.schedules' as table_name,
        ticketing_schedules._source_file as source_file,
        ticketing_schedules._batch_id as batch_id,
        ticketing_schedules._source_row as source_row,
        ticketing_schedules.quarantine_reason
    from ticketing_schedules
    union all
    select
        'ticketing.holidays' as table_name,
        ticketing_holidays._source_file as source_file,
        ticketing_holidays._batch_id as batch_id,
        ticketing_holidays._source_row as source_row,
        ticketing_holidays.quarantine_reason
    from ticketing_holidays
    union all
    select
        'ticketing.sla_policies' as table_name,
        ticketing_sla_policies._source_file as source_file,
        ticketing_sla_policies._batch_id as batch_id,
        ticketing_sla_policies._source_row as source_row,
        ticketing_sla_policies.quarantine_reason
    from ticketing_sla_policies
),

final as (
    select
        {{ dbt.concat([
            "unioned.table_name",
            "':'",
            "unioned.batch_id",
            "':'",
            "cast(unioned.source_row as " ~ dbt.type_string() ~ ")",
        ]) }} as quarantined_row_id,
        unioned.table_name,
        unioned.source_file,
        unioned.batch_id,
        cast(unioned.source_row as bigint) as source_row,
        unioned.quarantine_reason
    from unioned
)

select * from final

-- a table, not a view: a view over a raw table would stop the loaders replacing it
{{ config(materialized='table') }}
-- Every delivered SLA policy row (optional table ticketing.sla_policies), typed, with
-- the rule it breaks (if any). Zero rows when the table was not delivered.
with

source as (
    {{ optional_source('ticketing', 'sla_policies', [
        'policy_id',
        'priority',
        'tier',
        'metric',
        'target_minutes',
        'in_business_hours',
        '_source_file',
    ]) }}
),

typed as (
    select
        source._source_file,
        source._source_row,
        source._batch_id,
        nullif(trim(source.policy_id), '') as policy_id,
        {{ normalize_code('source.priority') }} as priority,
        {{ normalize_code('source.tier') }} as tier,
        {{ normalize_code('source.metric') }} as metric,
        {{ try_cast_decimal('source.target_minutes', 12, 2) }} as target_minutes,
        {{ try_cast_boolean('source.in_business_hours') }} as in_business_hours
    from source
),

checked as (
    select
        typed.*,
        case
            when typed.policy_id is null then 'missing_key'
            when typed.target_minutes is null or typed.target_minutes <= 0
                then 'invalid_number'
            when typed.in_business_hours is null then 'invalid_boolean'
            when typed.metric is null
                or typed.metric not in (
                    'first_reply',
                    'next_reply',
                    'requester_wait',
                    'agent_work',
                    'resolution'
                )
                or (typed.priority is null and typed.tier is null)
                then 'invalid_code'
            when row_number() over (
                    partition by typed.policy_id, typed.metric
                    order by typed._source_row
                ) > 1 then 'duplicate_key'
        end as quarantine_reason
    from typed
)

select * from checked

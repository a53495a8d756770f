{{ config(enabled=var('ticketing_source') == 'zendesk') }}
-- One row per contract SLA policy and metric, in the raw contract's
-- ticketing.sla_policies shape (text), plus the lineage columns, from the current
-- version of each Zendesk policy (the latest sla_policy_updated_at of
-- sla_policy_metric_history; a policy whose latest sla_policy_history row is deleted is
-- left out). A Zendesk policy holds targets for several priorities; the contract's
-- policy has one, so each (policy, priority) is a contract policy
-- `<sla_policy_id>:<priority>` with tier empty (Zendesk's conditions on organisations
-- are not landed). metric through seeds/adapters/zendesk_sla_metric_map.csv; a metric
-- without a contract equivalent (periodic_update_time, pausable_update_time) is passed
-- through (staging quarantines it as invalid_code) and counted in
-- zendesk__unmapped_values. target is in minutes; business_hours -> in_business_hours.
with

metric_history as (
    {{ vendor_union('zendesk', 'sla_policy_metric_history', [
        'sla_policy_id', 'sla_policy_updated_at', 'metric', 'priority', 'target',
        'business_hours',
    ], [], optional_table=true) }}
),

policy_history as (
    {{ vendor_union('zendesk', 'sla_policy_history', [
        'id', 'updated_at',
    ], ['_fivetran_deleted'], optional_table=true) }}
),

metric_map as (
    select
        zendesk_metric,
        metric
    from {{ ref('zendesk_sla_metric_map') }}
),

typed as (
    select
        metric_history._connector,
        {{ vendor_id('zendesk', 'metric_history.sla_policy_id') }} as sla_policy_id,
        cast(metric_history.sla_policy_updated_at as {{ dbt.type_timestamp() }})
            as sla_policy_updated_at,
        {{ normalize_code('metric_history.metric') }} as zendesk_metric,
        {{ normalize_code('metric_history.priority') }} as priority,
        cast(metric_history.target as {{ dbt.type_string() }}) as target_minutes,
        {{ vendor_boolean('metric_history.business_hours') }} as business_hours
    from metric_history
),

current_versions as (
    select
        typed._connector,
        typed.sla_policy_id,
        max(typed.sla_policy_updated_at) as sla_policy_updated_at
    from typed
    group by typed._connector, typed.sla_policy_id
),

policy_versions as (
    select
        policy_history._connector,
        {{ vendor_id('zendesk', 'policy_history.id') }} as sla_policy_id,
        coalesce({{ vendor_boolean('policy_history._fivetran_deleted') }}, false)
            as is_deleted,
        row_number() over (
            partition by policy_history._connector, policy_history.id
            order by cast(policy_history.updated_at as {{ dbt.type_timestamp() }}) desc
        ) as version_rank
    from policy_history
),

deleted as (
    select
        _connector,
        sla_policy_id
    from policy_versions
    where version_rank = 1 and is_deleted
),

current_rows as (
    select typed.*
    from typed
    inner join current_versions
        on typed._connector = current_versions._connector
            and typed.sla_policy_id = current_versions.sla_policy_id
            and typed.sla_policy_updated_at = current_versions.sla_policy_updated_at
    left join deleted
        on typed._connector = deleted._connector
            and typed.sla_policy_id = deleted.sla_policy_id
    where deleted.sla_policy_id is null
),

mapped as (
    select
        current_rows.*,
        metric_map.zendesk_metric is not null as is_metric_mapped,
        coalesce(metric_map.metric, current_rows.zendesk_metric) as metric,
        row_number() over (
            partition by current_rows._connector
            order by
                current_rows.sla_policy_id,
                current_rows.priority,
                current_rows.zendesk_metric
        ) as _source_row
    from current_rows
    left join metric_map
        on current_rows.zendesk_metric = metric_map.zendesk_metric
),

final as (
    select
        {{ dbt.concat([
            "mapped.sla_policy_id", "':'", "coalesce(mapped.priority, '')", "':'",
            "coalesce(mapped.zendesk_metric, '')",
        ]) }} as policy_metric_id,
        {{ dbt.concat([
            "mapped.sla_policy_id", "':'", "coalesce(mapped.priority, '')",
        ]) }} as policy_id,
        mapped.priority,
        cast(null as {{ dbt.type_string() }}) as tier,
        mapped.metric,
        mapped.zendesk_metric,
        mapped.is_metric_mapped,
        mapped.target_minutes,
        cast(mapped.business_hours as {{ dbt.type_string() }}) as in_business_hours,
        {{ dbt.concat(["mapped._connector", "'.sla_policy_metric_history'"]) }}
            as _source_file,
        mapped._source_row,
        {{ dbt.concat(["mapped._connector", "'.sla_policy_metric_history'"]) }}
            as _batch_id
    from mapped
)

select * from final

{{ config(enabled=var('ticketing_source') == 'zendesk') }}
-- One row per schedule and holiday date, in the raw contract's ticketing.holidays shape
-- (text), plus the lineage columns: a Zendesk `schedule_holiday` from start_date to
-- end_date (inclusive; a blank end_date is the start_date; up to 1,000 days) gives one
-- row per date. Deleted holidays are left out. Empty when not landed.
with

holiday as (
    {{ vendor_union('zendesk', 'schedule_holiday', [
        'id', 'schedule_id', 'start_date', 'end_date',
    ], ['name', '_fivetran_deleted'], optional_table=true) }}
),

digits as (
    {%- for digit in range(10) %}
    select {{ digit }} as digit
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

day_offsets as (
    select ones.digit + 10 * tens.digit + 100 * hundreds.digit as day_offset
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
),

typed as (
    select
        holiday._connector,
        {{ vendor_id('zendesk', 'holiday.id') }} as holiday_id,
        {{ vendor_id('zendesk', 'holiday.schedule_id') }} as schedule_id,
        cast(holiday.start_date as date) as start_date,
        cast(coalesce(holiday.end_date, holiday.start_date) as date) as end_date,
        nullif(trim(cast(holiday.name as {{ dbt.type_string() }})), '') as holiday_name
    from holiday
    where coalesce({{ vendor_boolean('holiday._fivetran_deleted') }}, false) = false
),

dated as (
    select
        typed._connector,
        typed.holiday_id,
        typed.schedule_id,
        typed.holiday_name,
        cast({{ dbt.dateadd(
            'day', 'day_offsets.day_offset', 'typed.start_date'
        ) }} as date) as holiday_date
    from typed
    inner join day_offsets
        on day_offsets.day_offset
            <= {{ dbt.datediff('typed.start_date', 'typed.end_date', 'day') }}
),

final as (
    select
        {{ dbt.concat([
            "dated.holiday_id", "':'", dbt.safe_cast("dated.holiday_date", dbt.type_string()),
        ]) }} as holiday_day_id,
        dated.schedule_id,
        cast(dated.holiday_date as {{ dbt.type_string() }}) as holiday_date,
        dated.holiday_name as name,  -- noqa: RF04
        {{ dbt.concat(["dated._connector", "'.schedule_holiday'"]) }} as _source_file,
        row_number() over (
            partition by dated._connector
            order by dated.schedule_id, dated.holiday_date, dated.holiday_id
        ) as _source_row,
        {{ dbt.concat(["dated._connector", "'.schedule_holiday'"]) }} as _batch_id
    from dated
)

select * from final

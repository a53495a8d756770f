-- Incremental on DuckDB and PostgreSQL (delete+insert on event_id); a table rebuilt in
-- full on Spark, whose default (parquet) tables take neither merge nor delete.
--
-- An incremental run writes only the events that differ from the built table, and
-- gives the table a full build would. An event's own columns (account, person,
-- touchpoint, valence, time ...) can change for an old event: an updated row, a person
-- resolved anew when a contact appears, a ticket reopened or made a repeat by a late
-- one, an invoice aged by a later as-of date. Its journey columns (journey_sequence,
-- previous and next touchpoint) depend on every event of its journey, and on nothing
-- else. So the run
--   1. compares every event's own columns with the built row (new, changed, gone);
--   2. re-sequences every journey with such a difference, on the new side or the
--      built side (an event that moved leaves one journey and joins another), plus
--      every journey with an event in the lookback window (var
--      incremental_lookback_days before the latest event built);
--   3. writes the rows of those journeys that differ from the built rows, those in the
--      lookback window, and a tombstone per event that is gone (its event_id, every
--      other column NULL), which the post-hook deletes. delete+insert replaces the
--      built row of every event_id it writes.
-- Journeys without a difference keep rows equal to a full build's: the same events with
-- the same own columns give the same sequence. A change to this model's SQL still
-- needs --full-refresh.
{{ config(**incremental_fact_config('event_id', tombstone_column='source_id')) }}

{%- set own_columns = [
    'event_type',
    'source_id',
    'account_id',
    'person_id',
    'channel',
    'touchpoint_code',
    'journey_stage',
    'cx_factor',
    'valence',
    'occurred_at',
] -%}

{%- set derived_columns = [
    'is_irritation',
    'occurred_date',
    'occurred_month',
    'journey_sequence',
    'previous_touchpoint_code',
    'next_touchpoint_code',
] %}

{#- every column but the key; delete+insert inserts by column name and both branches
    of written_events take this one list, so its order is free #}
{%- set columns = own_columns + derived_columns %}

with

touchpoint_events as (
    select
        event_id,
        event_type,
        source_id,
        account_id,
        person_id,
        channel,
        touchpoint_code,
        journey_stage,
        cx_factor,
        valence,
        occurred_at
    from {{ ref('int_touchpoint_events_unioned') }}
),

journey_events as (
    -- a journey is the account's; an event with no account (an unmatched person's
    -- ticket or response) is in that person's own journey
    select
        touchpoint_events.event_id,
        touchpoint_events.event_type,
        touchpoint_events.source_id,
        touchpoint_events.account_id,
        touchpoint_events.person_id,
        touchpoint_events.channel,
        touchpoint_events.touchpoint_code,
        touchpoint_events.journey_stage,
        touchpoint_events.cx_factor,
        touchpoint_events.valence,
        touchpoint_events.occurred_at,
        {{ touchpoint_journey_key(
            'touchpoint_events.account_id', 'touchpoint_events.person_id'
        ) }} as journey_key,
        -- simultaneous events keep the order of a purchase: the order, its invoice, a
        -- ticket, a survey response about it
        case touchpoint_events.event_type
            when 'order' then 1
            when 'invoice' then 2
            when 'ticket' then 3
            when 'survey_response' then 4
        end as event_type_order
    from touchpoint_events
),

{%- if is_incremental() %}

built_events as (
    select
        event_id,
        {{ columns | join(',\n        ') }}
    from {{ this }}
),

lookback as (
    -- late data: events this close to the latest event built are always recomputed
    {{ incremental_lookback('built_events', 'occurred_at') }}
),

compared_events as (
    -- events new, changed or gone since the last run, with their journey on each side
    select
        journey_events.event_id,
        built_events.event_id as built_event_id,
        journey_events.journey_key,
        case
            when built_events.event_id is not null
                then {{ touchpoint_journey_key(
                    'built_events.account_id', 'built_events.person_id'
                ) }}
        end as built_journey_key
    from journey_events
    full outer join built_events
        on journey_events.event_id = built_events.event_id
    cross join lookback
    where journey_events.event_id is null
        or built_events.event_id is null
        or {{ rows_differ('journey_events', 'built_events', own_columns) }}
        or journey_events.occurred_at >= lookback.recompute_from_at
),

changed_journeys as (
    -- de-duplication meant: one row per journey to re-sequence
    select compared_events.journey_key
    from compared_events
    where compared_events.journey_key is not null
    union
    select compared_events.built_journey_key as journey_key
    from compared_events
    where compared_events.built_journey_key is not null
),

gone_events as (
    -- events gone since the last run (source_id is never NULL but in their tombstones)
    select compared_events.built_event_id as event_id
    from compared_events
    where compared_events.event_id is null
),

{%- endif %}

events_to_sequence as (
    -- a full build sequences every journey; an incremental run those that changed
    select
        journey_events.event_id,
        journey_events.event_type,
        journey_events.source_id,
        journey_events.account_id,
        journey_events.person_id,
        journey_events.channel,
        journey_events.touchpoint_code,
        journey_events.journey_stage,
        journey_events.cx_factor,
        journey_events.valence,
        journey_events.occurred_at,
        journey_events.journey_key,
        journey_events.event_type_order
    from journey_events
    {% if is_incremental() -%}
    inner join changed_journeys
        on journey_events.journey_key = changed_journeys.journey_key
    {%- endif %}
),

sequenced as (
    -- ties in occurred_at: event type (order, invoice, ticket, survey_response), then
    -- source_id
    select
        events_to_sequence.event_id,
        events_to_sequence.event_type,
        events_to_sequence.source_id,
        events_to_sequence.account_id,
        events_to_sequence.person_id,
        events_to_sequence.channel,
        events_to_sequence.touchpoint_code,
        events_to_sequence.journey_stage,
        events_to_sequence.cx_factor,
        events_to_sequence.valence,
        events_to_sequence.occurred_at,
        row_number() over (
            partition by events_to_sequence.journey_key
            order by
                events_to_sequence.occurred_at,
                events_to_sequence.event_type_order,
                events_to_sequence.source_id
        ) as journey_sequence,
        lag(events_to_sequence.touchpoint_code) over (
            partition by events_to_sequence.journey_key
            order by
                events_to_sequence.occurred_at,
                events_to_sequence.event_type_order,
                events_to_sequence.source_id
        ) as previous_touchpoint_code,
        lead(events_to_sequence.touchpoint_code) over (
            partition by events_to_sequence.journey_key
            order by
                events_to_sequence.occurred_at,
                events_to_sequence.event_type_order,
                events_to_sequence.source_id
        ) as next_touchpoint_code
    from events_to_sequence
),

final as (
    select
        sequenced.event_id,
        sequenced.event_type,
        sequenced.source_id,
        sequenced.account_id,
        sequenced.person_id,
        sequenced.channel,
        sequenced.touchpoint_code,
        sequenced.journey_stage,
        sequenced.cx_factor,
        sequenced.valence,
        sequenced.valence = 'negative' as is_irritation,
        sequenced.occurred_at,
        cast(sequenced.occurred_at as date) as occurred_date,
        cast({{ dbt.date_trunc('month', 'sequenced.occurred_at') }} as date)
            as occurred_month,
        cast(sequenced.journey_sequence as bigint) as journey_sequence,
        sequenced.previous_touchpoint_code,
        sequenced.next_touchpoint_code
    from sequenced
)

-- incremental: the re-sequenced events that differ from the built rows or are in the
-- lookback window, and a tombstone per gone event
{{ incremental_fact_rows(
    'event_id', columns, 'occurred_at', built='built_events', gone='gone_events'
) }}

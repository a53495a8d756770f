-- NPS, CSAT and CES (docs/metrics.md, survey scores) per period ('all' and each month,
-- by submitted_at) and cut: overall, channel, touchpoint, journey stage, tier and
-- segment. Every nps, csat and ces answer submitted on or before the as-of date counts,
-- matched to an account or not; tier and segment are the account's as of the as-of
-- date, 'unmatched' when the respondent matches no CRM contact. A row exists for every
-- cell holding at least one nps, csat or ces answer; a measure without answers in the
-- cell has 0 answers, a NULL figure and low_sample = true.
{%- set cuts = [
    ('overall', "'all'"),
    ('channel', "coalesce(scored_answers.channel, 'unknown')"),
    ('touchpoint', "coalesce(scored_answers.touchpoint_code, 'unknown')"),
    ('journey_stage', "coalesce(scored_answers.journey_stage, 'unknown')"),
    ('tier', "scored_answers.tier"),
    ('segment', "scored_answers.segment"),
] %}
{%- set min_sample = var('min_sample') | int %}
{#- the answers a cell counts: (column, measure, condition on its value; none counts
    every answer of the measure) #}
{%- set answer_counts = [
    ('nps_answers', 'nps', none),
    ('promoters', 'nps', '>= 9'),
    ('passives', 'nps', 'between 7 and 8'),
    ('detractors', 'nps', '<= 6'),
    ('csat_answers', 'csat', none),
    ('csat_satisfied', 'csat', '>= 4'),
    ('ces_answers', 'ces', none),
    ('ces_easy', 'ces', '>= 5'),
] %}
with

survey_answers as (
    select
        measure,
        numeric_value,
        submitted_at,
        touchpoint_code,
        channel,
        account_id
    from {{ ref('survey_answers') }}
),

touchpoints as (
    select
        touchpoint_code,
        journey_stage
    from {{ ref('touchpoints') }}
),

customers as (
    select
        account_id,
        tier,
        segment
    from {{ ref('customers') }}
),

metric_periods as (
    select
        period,
        period_grain,
        period_start,
        period_end
    from {{ ref('metric_periods') }}
),

scored_answers as (
    select
        survey_answers.measure,
        survey_answers.numeric_value,
        {{ month_label('survey_answers.submitted_at') }} as answer_month,
        survey_answers.channel,
        survey_answers.touchpoint_code,
        touchpoints.journey_stage,
        {{ account_attribute('survey_answers.account_id', 'customers.tier') }} as tier,
        {{ account_attribute('survey_answers.account_id', 'customers.segment') }}
            as segment
    from survey_answers
    -- the window 'all' ends on the as-of date
    inner join metric_periods as whole_window
        on whole_window.period_grain = 'all'
    left join touchpoints
        on survey_answers.touchpoint_code = touchpoints.touchpoint_code
    left join customers
        on survey_answers.account_id = customers.account_id
    where survey_answers.measure in ('nps', 'csat', 'ces')
        and survey_answers.numeric_value is not null
        and cast(survey_answers.submitted_at as date) <= whole_window.period_end
),

cell_answers as (
    {{ period_cells(
        'scored_answers', 'answer_month', cuts, ['measure', 'numeric_value']
    ) }}
),

cells as (
    select
        {{ period_cell_keys('cell_answers') }},
        {%- for column, measure, condition in answer_counts %}
        cast(
            sum(
                case
                    when cell_answers.measure = '{{ measure }}'
                        {%- if condition %}
                        and cell_answers.numeric_value {{ condition }}
                        {%- endif %}
                        then 1
                    else 0
                end
            ) as bigint
        ) as {{ column }},
        {%- endfor %}
        avg(
            case
                when cell_answers.measure = 'ces'
                    then cast(cell_answers.numeric_value as {{ type_double() }})
            end
        ) as ces,
        stddev_samp(
            case
                when cell_answers.measure = 'ces'
                    then cast(cell_answers.numeric_value as {{ type_double() }})
            end
        ) as ces_stddev
    from cell_answers
    group by {{ period_cell_keys('cell_answers') }}
),

final as (
    select
        {{ period_cell_keys('cells', 'metric_periods') }},
        cells.nps_answers,
        cells.promoters,
        cells.passives,
        cells.detractors,
        {{ nps_score('cells.promoters', 'cells.detractors', 'cells.nps_answers') }}
            as nps,
        {{ nps_margin_of_error(
            'cells.promoters', 'cells.detractors', 'cells.nps_answers'
        ) }} as nps_moe,
        cells.nps_answers < {{ min_sample }} as nps_low_sample,
        cells.csat_answers,
        cells.csat_satisfied,
        {{ percentage('cells.csat_satisfied', 'cells.csat_answers') }} as csat,
        {{ wilson_lower_bound('cells.csat_satisfied', 'cells.csat_answers') }}
            as csat_ci_low,
        {{ wilson_upper_bound('cells.csat_satisfied', 'cells.csat_answers') }}
            as csat_ci_high,
        cells.csat_answers < {{ min_sample }} as csat_low_sample,
        cells.ces_answers,
        cells.ces,
        cells.ces_stddev,
        cells.ces_easy,
        {{ percentage('cells.ces_easy', 'cells.ces_answers') }} as ces_easy_pct,
        cells.ces_answers < {{ min_sample }} as ces_low_sample
    from cells
    inner join metric_periods
        on cells.period = metric_periods.period
)

select * from final

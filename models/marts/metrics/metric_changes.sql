-- Which monthly moves are real: every monthly cell of cx_scores (nps, csat, ces) and
-- repeat_contact_metrics (fcr_rate, repeat_contact_rate, one_touch_rate) against the
-- same cell of the previous month and of the same month a year before, with a test fit
-- for the metric, its p-value, and the false-discovery rate held (Benjamini-Hochberg)
-- across all cells tested for one period and comparison. A pair is tested only when
-- both cells have at least min_sample observations; otherwise it is `not_tested` and
-- never called a rise or a fall. Tests (docs/metrics.md, "Real changes"):
--   nps: difference of two NPS, each answer scoring +100 / 0 / -100,
--        variance p + d - (p - d)^2
--   csat, fcr_rate, repeat_contact_rate, one_touch_rate: two proportions, pooled z-test
--   ces: Welch's t (unequal variances, Welch-Satterthwaite degrees of freedom)
-- The window's first month is a warm-up month for repeat contacts and FCR (a ticket's
-- earlier contacts lie before the window): pairs that touch it are not tested, and so
-- are pairs with a month still holding immature tickets (is_provisional).
{%- set min_sample = var('min_sample') | int %}
{%- set alpha = var('significance_level') %}
{%- set double = type_double() %}
{%- set null_double = 'cast(null as ' ~ double ~ ')' %}
{#- NPS: the variance of one answer scored +100 / 0 / -100 is
    10000 * (p + d - (p - d)^2), p and d the shares of promoters and detractors -#}
{%- set non_passive_share = '(cast(promoters + detractors as ' ~ double
    ~ ') / nullif(nps_answers, 0))' %}
{%- set net_share = '(cast(promoters - detractors as ' ~ double
    ~ ') / nullif(nps_answers, 0))' %}
{#- one spec per tested metric: the mart that holds it (its column is named after the
    metric), the test, the sample column, and what the test reads: successes (two
    proportions) or the variance of one observation (NPS difference, Welch's t) #}
{%- set metric_specs = [
    {
        'metric': 'nps',
        'relation': 'cx_scores',
        'test_method': 'nps_difference',
        'higher_is_better': 'true',
        'sample_size': 'nps_answers',
        'successes': null_double,
        'unit_variance': '10000.0 * (' ~ non_passive_share ~ ' - ' ~ net_share
            ~ ' * ' ~ net_share ~ ')',
        'is_provisional': 'false',
    },
    {
        'metric': 'csat',
        'relation': 'cx_scores',
        'test_method': 'two_proportions',
        'higher_is_better': 'true',
        'sample_size': 'csat_answers',
        'successes': 'cast(csat_satisfied as ' ~ double ~ ')',
        'unit_variance': null_double,
        'is_provisional': 'false',
    },
    {
        'metric': 'ces',
        'relation': 'cx_scores',
        'test_method': 'welch_t',
        'higher_is_better': 'true',
        'sample_size': 'ces_answers',
        'successes': null_double,
        'unit_variance': 'ces_stddev * ces_stddev',
        'is_provisional': 'false',
    },
    {
        'metric': 'fcr_rate',
        'relation': 'repeat_contact_metrics',
        'test_method': 'two_proportions',
        'higher_is_better': 'true',
        'sample_size': 'solved_episodes',
        'successes': 'cast(fcr_episodes as ' ~ double ~ ')',
        'unit_variance': null_double,
        'is_provisional': 'has_immature_tickets',
    },
    {
        'metric': 'repeat_contact_rate',
        'relation': 'repeat_contact_metrics',
        'test_method': 'two_proportions',
        'higher_is_better': 'false',
        'sample_size': 'tickets',
        'successes': 'cast(repeat_contact_tickets as ' ~ double ~ ')',
        'unit_variance': null_double,
        'is_provisional': 'has_immature_tickets',
    },
    {
        'metric': 'one_touch_rate',
        'relation': 'repeat_contact_metrics',
        'test_method': 'two_proportions',
        'higher_is_better': 'true',
        'sample_size': 'solved_tickets',
        'successes': 'cast(one_touch_tickets as ' ~ double ~ ')',
        'unit_variance': null_double,
        'is_provisional': 'false',
    },
] %}
with

cx_scores as (
    select
        period,
        period_start,
        dimension,
        dimension_value,
        nps_answers,
        promoters,
        detractors,
        nps,
        csat_answers,
        csat_satisfied,
        csat,
        ces_answers,
        ces,
        ces_stddev
    from {{ ref('cx_scores') }}
    where period <> 'all'
),

repeat_contact_metrics as (
    select
        period,
        period_start,
        dimension,
        dimension_value,
        tickets,
        repeat_contact_tickets,
        repeat_contact_rate,
        solved_episodes,
        fcr_episodes,
        fcr_rate,
        solved_tickets,
        one_touch_tickets,
        one_touch_rate,
        has_immature_tickets
    from {{ ref('repeat_contact_metrics') }}
    where period <> 'all'
),

-- one row per (month, cut, metric): the figure, its sample, and what its test needs;
-- each spec of metric_specs (at the top) writes one select of the union
metric_cells as (
    {%- for spec in metric_specs %}
    select
        period,
        period_start,
        dimension,
        dimension_value,
        '{{ spec.metric }}' as metric,
        '{{ spec.test_method }}' as test_method,
        {{ spec.higher_is_better }} as higher_is_better,
        {{ spec.metric }} as metric_value,
        {{ spec.sample_size }} as sample_size,
        {{ spec.successes }} as successes,
        {{ spec.unit_variance }} as unit_variance,
        {{ spec.is_provisional }} as is_provisional
    from {{ spec.relation }}
    where {{ spec.sample_size }} > 0
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

metric_periods as (
    select
        period,
        period_grain,
        period_start
    from {{ ref('metric_periods') }}
),

first_month as (
    select min(period_start) as period_start
    from metric_periods
    where period_grain = 'month'
),

indexed_cells as (
    select
        metric_cells.*,
        cast(extract(year from metric_cells.period_start) as integer) * 12
        + cast(extract(month from metric_cells.period_start) as integer) as month_index,
        metric_cells.metric in ('fcr_rate', 'repeat_contact_rate')
        and metric_cells.period_start = first_month.period_start as is_warm_up
    from metric_cells
    cross join first_month
),

comparisons as (
    select
        'previous_month' as comparison,
        1 as months_back
    union all
    select
        'previous_year' as comparison,
        12 as months_back
),

pairs as (
    select
        current_cell.period,
        current_cell.period_start,
        comparisons.comparison,
        base_cell.period as base_period,
        current_cell.dimension,
        current_cell.dimension_value,
        current_cell.metric,
        current_cell.test_method,
        current_cell.higher_is_better,
        current_cell.metric_value,
        base_cell.metric_value as base_value,
        current_cell.metric_value - base_cell.metric_value as change,
        current_cell.sample_size,
        base_cell.sample_size as base_sample_size,
        current_cell.successes,
        base_cell.successes as base_successes,
        current_cell.unit_variance,
        base_cell.unit_variance as base_unit_variance,
        current_cell.is_provisional or base_cell.is_provisional as is_provisional,
        current_cell.is_warm_up or base_cell.is_warm_up as is_warm_up,
        not (current_cell.is_warm_up or base_cell.is_warm_up)
        -- a month holding tickets younger than the repeat window cannot know its
        -- repeats yet (FCR too high, repeat rate too low): not tested until it matures
        and not (current_cell.is_provisional or base_cell.is_provisional)
        and current_cell.sample_size >= {{ min_sample }}
        and base_cell.sample_size >= {{ min_sample }}
        and current_cell.metric_value is not null
        and base_cell.metric_value is not null as is_tested
    from indexed_cells as current_cell
    cross join comparisons
    inner join indexed_cells as base_cell
        on current_cell.metric = base_cell.metric
            and current_cell.dimension = base_cell.dimension
            and current_cell.dimension_value = base_cell.dimension_value
            and base_cell.month_index
            = current_cell.month_index - comparisons.months_back
),

standard_errors as (
    select
        pairs.*,
        case
            when not pairs.is_tested then null
            when pairs.test_method = 'two_proportions'
                then 100.0 * sqrt(
                        (pairs.successes + pairs.base_successes)
                        / (pairs.sample_size + pairs.base_sample_size)
                        * (
                            1.0 - (pairs.successes + pairs.base_successes)
                            / (pairs.sample_size + pairs.base_sample_size)
                        )
                        * (
                            1.0 / cast(pairs.sample_size as {{ double }})
                            + 1.0 / cast(pairs.base_sample_size as {{ double }})
                        )
                    )
            else sqrt(
                    pairs.unit_variance / cast(pairs.sample_size as {{ double }})
                    + pairs.base_unit_variance
                    / cast(pairs.base_sample_size as {{ double }})
                )
        end as standard_error,
        case
            when pairs.is_tested and pairs.test_method = 'welch_t'
                then (
                    pairs.unit_variance / pairs.sample_size
                    + pairs.base_unit_variance / pairs.base_sample_size
                ) * (
                    pairs.unit_variance / pairs.sample_size
                    + pairs.base_unit_variance / pairs.base_sample_size
                ) / nullif(
                    (pairs.unit_variance / pairs.sample_size)
                    * (pairs.unit_variance / pairs.sample_size)
                    / (pairs.sample_size - 1)
                    + (pairs.base_unit_variance / pairs.base_sample_size)
                    * (pairs.base_unit_variance / pairs.base_sample_size)
                    / (pairs.base_sample_size - 1),
                    0
                )
        end as degrees_of_freedom
    from pairs
),

statistics as (
    select
        standard_errors.*,
        case
            when standard_errors.standard_error > 0
                then standard_errors.change / standard_errors.standard_error
        end as test_statistic
    from standard_errors
),

p_values as (
    select
        statistics.*,
        case
            when not statistics.is_tested then null
            -- no spread on either side: equal figures cannot differ, unequal ones do
            when statistics.test_statistic is null
                then case when statistics.change = 0 then 1.0 else 0.0 end
            when statistics.test_method = 'welch_t'
                and statistics.degrees_of_freedom is not null
                then {{ normal_two_sided_p(student_t_as_normal(
                    'statistics.test_statistic', 'statistics.degrees_of_freedom'
                )) }}
            else {{ normal_two_sided_p('statistics.test_statistic') }}
        end as p_value
    from statistics
),

-- Benjamini-Hochberg within each family (period, comparison) of tested pairs
ranked as (
    select
        p_values.*,
        count(p_values.p_value) over (
            partition by p_values.period, p_values.comparison
        ) as family_tests,
        row_number() over (
            partition by p_values.period, p_values.comparison
            order by
                case when p_values.p_value is null then 1 else 0 end,
                p_values.p_value,
                p_values.metric,
                p_values.dimension,
                p_values.dimension_value
        ) as p_rank
    from p_values
),

adjusted as (
    select
        ranked.*,
        case
            when ranked.p_value is not null
                then least(
                        1.0,
                        min(ranked.p_value * ranked.family_tests / ranked.p_rank) over (
                            partition by
                                ranked.period,
                                ranked.comparison,
                                case when ranked.p_value is null then 1 else 0 end
                            order by ranked.p_rank desc
                            rows between unbounded preceding and current row
                        )
                    )
        end as q_value
    from ranked
),

final as (
    select
        {{ dbt.concat([
            'adjusted.period', "':'", 'adjusted.comparison', "':'",
            'adjusted.metric', "':'", 'adjusted.dimension', "':'", 'adjusted.dimension_value',
        ]) }} as change_id,
        adjusted.period,
        adjusted.period_start,
        adjusted.comparison,
        adjusted.base_period,
        adjusted.metric,
        adjusted.dimension,
        adjusted.dimension_value,
        adjusted.test_method,
        cast(adjusted.metric_value as {{ double }}) as metric_value,
        cast(adjusted.base_value as {{ double }}) as base_value,
        cast(adjusted.change as {{ double }}) as change,
        cast(adjusted.sample_size as bigint) as sample_size,
        cast(adjusted.base_sample_size as bigint) as base_sample_size,
        adjusted.is_tested,
        cast(adjusted.standard_error as {{ double }}) as standard_error,
        cast(adjusted.test_statistic as {{ double }}) as test_statistic,
        cast(adjusted.degrees_of_freedom as {{ double }}) as degrees_of_freedom,
        cast(adjusted.p_value as {{ double }}) as p_value,
        cast(adjusted.q_value as {{ double }}) as q_value,
        coalesce(adjusted.q_value < {{ alpha }}, false) as is_significant,
        case
            when not adjusted.is_tested then 'not_tested'
            when adjusted.q_value < {{ alpha }} and adjusted.change > 0
                then 'significant_rise'
            when adjusted.q_value < {{ alpha }} and adjusted.change < 0
                then 'significant_fall'
            else 'within_noise'
        end as assessment,
        adjusted.higher_is_better,
        coalesce(
            adjusted.q_value < {{ alpha }}
            and (adjusted.change > 0) = adjusted.higher_is_better,
            false
        ) as is_significant_improvement,
        coalesce(
            adjusted.q_value < {{ alpha }}
            and adjusted.change <> 0
            and (adjusted.change > 0) <> adjusted.higher_is_better,
            false
        ) as is_significant_deterioration,
        adjusted.is_provisional,
        adjusted.is_warm_up
    from adjusted
)

select * from final

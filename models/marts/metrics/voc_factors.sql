-- Voice of the customer per CX factor (docs/metrics.md, survey scores), over the
-- answers submitted on or before the as-of date: one row per factor of the importance
-- and performance questions. expectation_gap = avg(importance) - avg(performance)
-- (positive: the experience falls short of what customers want). driver_strength =
-- Pearson correlation, over the responses having both, between the response's
-- performance answer for the factor (its lowest question_id should it have two) and its
-- nps answer. The importance-performance cross-hairs sit at the grand means: the
-- averages over all importance and over all performance answers of every factor.
with

survey_answers as (
    select
        response_id,
        question_id,
        measure,
        factor,
        numeric_value,
        submitted_at
    from {{ ref('survey_answers') }}
),

survey_responses as (
    select
        response_id,
        nps_value
    from {{ ref('survey_responses') }}
),

as_of as (
    select as_of_date from {{ ref('warehouse_as_of') }}
),

factor_answers as (
    select
        survey_answers.response_id,
        survey_answers.question_id,
        survey_answers.measure,
        survey_answers.factor,
        cast(survey_answers.numeric_value as {{ type_double() }}) as numeric_value
    from survey_answers
    cross join as_of
    where survey_answers.measure in ('importance', 'performance')
        and survey_answers.factor is not null
        and survey_answers.numeric_value is not null
        and cast(survey_answers.submitted_at as date) <= as_of.as_of_date
),

factor_means as (
    select
        factor_answers.factor,
        sum(case when factor_answers.measure = 'importance' then 1 else 0 end)
            as importance_answers,
        sum(case when factor_answers.measure = 'performance' then 1 else 0 end)
            as performance_answers,
        avg(
            case
                when factor_answers.measure = 'importance'
                    then factor_answers.numeric_value
            end
        ) as avg_importance,
        avg(
            case
                when factor_answers.measure = 'performance'
                    then factor_answers.numeric_value
            end
        ) as avg_performance
    from factor_answers
    group by factor_answers.factor
),

performance_ranked as (
    select
        factor_answers.response_id,
        factor_answers.factor,
        factor_answers.numeric_value,
        row_number() over (
            partition by factor_answers.response_id, factor_answers.factor
            order by factor_answers.question_id
        ) as question_rank
    from factor_answers
    where factor_answers.measure = 'performance'
),

driver_pairs as (
    select
        performance_ranked.factor,
        performance_ranked.numeric_value as performance_value,
        cast(survey_responses.nps_value as {{ type_double() }}) as nps_value
    from performance_ranked
    inner join survey_responses
        on performance_ranked.response_id = survey_responses.response_id
    where performance_ranked.question_rank = 1
        and survey_responses.nps_value is not null
),

drivers as (
    select
        driver_pairs.factor,
        count(*) as driver_responses,
        corr(driver_pairs.performance_value, driver_pairs.nps_value) as driver_strength
    from driver_pairs
    group by driver_pairs.factor
),

grand_means as (
    select
        avg(
            case
                when factor_answers.measure = 'importance'
                    then factor_answers.numeric_value
            end
        ) as grand_mean_importance,
        avg(
            case
                when factor_answers.measure = 'performance'
                    then factor_answers.numeric_value
            end
        ) as grand_mean_performance
    from factor_answers
),

final as (
    select
        as_of.as_of_date,
        factor_means.factor,
        cast(factor_means.importance_answers as bigint) as importance_answers,
        cast(factor_means.performance_answers as bigint) as performance_answers,
        factor_means.avg_importance,
        factor_means.avg_performance,
        factor_means.avg_importance - factor_means.avg_performance as expectation_gap,
        cast(coalesce(drivers.driver_responses, 0) as bigint) as driver_responses,
        -- rounding can put a perfect correlation a hair outside [-1, 1]
        case
            when drivers.driver_strength > 1 then cast(1 as {{ type_double() }})
            when drivers.driver_strength < -1 then cast(-1 as {{ type_double() }})
            else cast(drivers.driver_strength as {{ type_double() }})
        end as driver_strength,
        grand_means.grand_mean_importance,
        grand_means.grand_mean_performance,
        case
            when factor_means.avg_importance is null
                or factor_means.avg_performance is null
                then null
            when factor_means.avg_importance >= grand_means.grand_mean_importance
                and factor_means.avg_performance < grand_means.grand_mean_performance
                then 'concentrate_here'
            when factor_means.avg_importance >= grand_means.grand_mean_importance
                then 'keep_up_the_good_work'
            when factor_means.avg_performance < grand_means.grand_mean_performance
                then 'low_priority'
            else 'possible_overkill'
        end as ipa_quadrant
    from factor_means
    cross join grand_means
    cross join as_of
    left join drivers
        on factor_means.factor = drivers.factor
)

select * from final

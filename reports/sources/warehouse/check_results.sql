-- One row per expectation evaluated in the published run. `sample` stays empty on purpose:
-- samples are raw values and may hold personal data.
select
    suite,
    relation,
    expectation,
    column_name,
    severity,
    success,
    unexpected_count,
    cast(null as varchar) as sample
from quality.expectation_results

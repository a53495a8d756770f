-- One row per check of the published run: every dbt data test and every Great Expectations
-- suite is one check (what the page header counts). The description is left out: it may
-- quote raw values.
select
    asset,
    check_name,
    check_source,
    severity,
    passed
from quality.check_results

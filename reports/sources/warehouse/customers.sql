-- account_name is left out on purpose: a consumer account is named after a person, and
-- Evidence ships source data to the browser.
select
    account_id,
    segment,
    country_code,
    created_at,
    people,
    orders_12m,
    revenue_12m,
    tier,
    tier_rank,
    loyalty_stage,
    latest_nps_value,
    latest_csat_value,
    latest_response_at,
    first_event_at,
    last_event_at
from marts.customers

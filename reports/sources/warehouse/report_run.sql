-- The date the reports are built and how many days old the data may be before the pages
-- warn (the publish step's renderer fills this from the run and CXW_STALE_AFTER_DAYS).
select
    current_date as report_date,
    7 as stale_after_days

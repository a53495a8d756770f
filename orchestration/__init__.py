"""The Dagster code location: definitions, assets, checks, resources, schedules and sensors,
and the dbt translator. Thin: the work itself lives in the job packages beside it."""

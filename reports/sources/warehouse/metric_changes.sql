select * from metrics.metric_changes

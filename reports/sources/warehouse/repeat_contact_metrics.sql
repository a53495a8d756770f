select * from metrics.repeat_contact_metrics

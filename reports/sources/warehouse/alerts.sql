-- The alerts the rules in alerts/rules/ raised on this release (written at publish time).
select * from metrics.alerts

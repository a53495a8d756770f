select * from metrics.hotspots_monthly

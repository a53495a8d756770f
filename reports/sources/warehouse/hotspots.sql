select * from metrics.hotspots

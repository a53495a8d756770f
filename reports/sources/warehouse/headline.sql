select * from metrics.headline

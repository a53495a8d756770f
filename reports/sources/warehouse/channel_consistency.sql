select * from metrics.channel_consistency

select * from metrics.loyalty_ladder

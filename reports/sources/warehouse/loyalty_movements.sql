select * from metrics.loyalty_movements

select * from metrics.voc_factors

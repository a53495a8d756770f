select * from metrics.cx_scores

select * from metrics.service_standard_attainment

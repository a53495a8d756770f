select * from marts.sla_attainment

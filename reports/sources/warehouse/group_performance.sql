select * from marts.group_performance

select * from marts.row_conservation

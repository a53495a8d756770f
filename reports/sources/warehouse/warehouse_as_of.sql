select * from marts.warehouse_as_of

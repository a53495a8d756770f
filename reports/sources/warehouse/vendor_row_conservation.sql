select * from marts.vendor_row_conservation

select * from marts.unmapped_vendor_values

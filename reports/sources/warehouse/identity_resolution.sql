select * from marts.identity_resolution

select * from marts.channels

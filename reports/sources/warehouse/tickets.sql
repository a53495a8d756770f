select * from marts.tickets

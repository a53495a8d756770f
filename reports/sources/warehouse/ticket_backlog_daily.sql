select * from marts.ticket_backlog_daily

select * from marts.touchpoint_events

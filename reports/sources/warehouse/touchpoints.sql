select * from marts.touchpoints

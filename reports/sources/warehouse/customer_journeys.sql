select * from marts.customer_journeys

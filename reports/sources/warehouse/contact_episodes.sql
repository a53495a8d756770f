select * from marts.contact_episodes

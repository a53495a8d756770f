select * from marts.unknown_channel_codes

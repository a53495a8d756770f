-- Who to call back: source-system ids only (no email, no name).
select * from marts.callback_worklist

{{ config(enabled=var('ticketing_source') == 'zendesk') }}
-- One row per kept Zendesk ticket (zendesk__ticket_rows without exclusion reason):
-- the ticket columns listed in var vendor_extra_columns (zendesk: {ticket: [...]}) as
-- one JSON object text, vendor_attributes, which marts.tickets carries (NULL when none
-- is listed).
{{ vendor_extra_attributes(
    'zendesk', 'ticket', 'zendesk__ticket_rows', 'ticket_id', 'ticketing.tickets'
) }}

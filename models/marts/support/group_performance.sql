-- One row per month and group with any activity (grain: performance_month, group_id;
-- the ticket's current group): tickets solved, one-touch, reopened, handoffs, episodes
-- closed and FCR, CSAT of the group's tickets, open backlog at the month's end. Zero
-- rows without the optional tickets.group_id column.
{{ support_team_performance('group_id', 'group_id') }}

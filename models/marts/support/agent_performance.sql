-- One row per month and agent with any activity (grain: performance_month, agent_id;
-- the ticket's current assignee, a pseudonymous id, never a name): tickets solved,
-- one-touch, reopened, handoffs, episodes closed and FCR, CSAT of the agent's tickets,
-- open backlog at the month's end. Zero rows without the optional tickets.assignee_id
-- column.
{{ support_team_performance('assignee_id', 'agent_id') }}

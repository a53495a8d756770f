select * from marts.agent_performance

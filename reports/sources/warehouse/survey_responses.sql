select * from marts.survey_responses

select * from marts.survey_answers

select * from reference.service_standards

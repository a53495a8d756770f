select * from reference.code_labels

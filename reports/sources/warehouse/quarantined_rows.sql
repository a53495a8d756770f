-- source_file is left out: it is a path on the machine that loaded the data.
select
    quarantined_row_id,
    table_name,
    source_row,
    quarantine_reason
from marts.quarantined_rows

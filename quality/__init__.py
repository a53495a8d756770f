"""Great Expectations suites (expectations/<layer>/*.json): loading, running them on the
warehouse, Data Docs, and the quality tables that carry the results into the serving database."""

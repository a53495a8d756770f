"""Publishing a release after the checks pass: the serving database, the headline snapshot,
the leadership summary, and the last-good-release state the next run compares with."""

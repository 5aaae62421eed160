# Beyond any list, and within what the databases take: a larger OFFSET (or id) made
# SQLite answer "datatype mismatch" and PostgreSQL "out of range", a 500 (issue #14).
MAX_OFFSET = 1_000_000_000
MAX_ID = 2**63 - 1

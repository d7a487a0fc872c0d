"""PostgreSQL adapters: the school's course tables, user memory, the inbound log, migrations."""

"""A fingerprint of the school's course tables, so that an unchanged catalogue is not copied again.

The catalogue snapshot (the copy kept for outages) used to be re-read in full after every
connection and every 10 minutes: 2,000 courses cost a second or two of CPU, hundreds of
megabytes of heap and a file of tens of megabytes, fsynced, each time. One statement now says
whether anything changed: per table, the number of rows and the sum of their xmin (the id of
the transaction that wrote each row version).

Every INSERT adds a row; every DELETE removes one; every UPDATE replaces a row version by one
with a newer xmin, so the sum moves (several rows updated together all get the same newer
xmin, which cannot average out to their old ones). A rolled-back change is invisible. A dump
and restore, or a load that rewrites identical rows, changes the fingerprint without changing
the catalogue: that costs one copy, never a stale snapshot. Freezing keeps xmin readable
(PostgreSQL 9.4 and later). Reading xmin needs no row formatting or hashing, so PostgreSQL
answers from one quick pass over each table: a few milliseconds at 2,000 courses (hashing
every row's text took half a second there, docs/postgres.md).
"""

from __future__ import annotations

from app.infrastructure.postgres.catalog_schema import CATALOG_TABLES, CatalogSchema, quote_identifier


def catalog_version_sql(schema: CatalogSchema) -> str:
    """One row, one text column: `table:rows:xmin-sum` for each catalogue table present."""
    parts = [
        f"(SELECT '{table}:' || count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) FROM {quote_identifier(table)})"
        for table in CATALOG_TABLES
        if schema.has_table(table)
    ]
    return "SELECT concat_ws(' ', " + ", ".join(parts) + ") AS version"

"""Lead events at a glance, for `python -m app db status`: delivered, waiting, failed.

"Failed" are the events the queue stopped trying: refused by the receiver (`rechazado:`) or
out of attempts (`sin entregar tras`), the prefixes DeliverLeadEvent writes to last_error.
"""

from __future__ import annotations

import psycopg
from pydantic import BaseModel, ConfigDict

_COUNTS_SQL = """
SELECT
    count(*) FILTER (WHERE delivered_at IS NOT NULL) AS delivered,
    count(*) FILTER (WHERE delivered_at IS NULL AND NOT coalesce(last_error LIKE ANY (%(failed)s), false)) AS waiting,
    count(*) FILTER (WHERE delivered_at IS NULL AND coalesce(last_error LIKE ANY (%(failed)s), false)) AS failed
FROM lead_events
"""
_FAILED_PATTERNS = ["rechazado:%", "sin entregar tras %"]


class LeadEventCounts(BaseModel):
    model_config = ConfigDict(frozen=True)

    delivered: int = 0
    waiting: int = 0  # not delivered yet: queued, retrying, or kept while no URL is set
    failed: int = 0


def read_lead_event_counts(connection: psycopg.Connection) -> LeadEventCounts | None:
    """None when the table does not exist yet (migrations not applied)."""
    present = connection.execute("SELECT to_regclass('lead_events') IS NOT NULL").fetchone()
    if not (present and present[0]):
        return None
    row = connection.execute(_COUNTS_SQL, {"failed": _FAILED_PATTERNS}).fetchone()
    if row is None:
        return LeadEventCounts()
    return LeadEventCounts(delivered=row[0], waiting=row[1], failed=row[2])

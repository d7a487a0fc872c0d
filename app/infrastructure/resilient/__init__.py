"""PostgreSQL with fallbacks: keep answering when the database goes away, return by itself.

DatabaseLink knows whether the database is usable. The first call that finds it unreachable
marks it down; from then on every call goes straight to the fallbacks (no per-message
timeouts) while a background task retries with backoff. When the database answers again the
link runs the start-up steps again (migrations, catalogue columns) and the bot is back on it;
memory updates written meanwhile are merged in by the memory wrapper.

The wrappers implement the same ports as the stores they wrap:
- courses: PostgreSQL, else the last catalogue snapshot taken from it, else the bundled one;
- memory: PostgreSQL, else pending files (fallback_store.PendingMemoryStore) merged back into
  PostgreSQL exactly once when it returns;
- inbound log (and the outbox of REST replies): PostgreSQL, else the JSON inbound log.

A turn's memory is read and written where the turn's user lock was taken: a turn that began
while the database was down finishes on the fallback even if the database returns meanwhile,
so one turn never mixes two stores.
"""

# The package is split by port (link, courses, memory, inbound log); importers keep using
# app.infrastructure.resilient, so these re-exports are its public surface.
from app.infrastructure.resilient.courses import ResilientCourseRepository
from app.infrastructure.resilient.inbound import ResilientInboundLog
from app.infrastructure.resilient.link import ComponentStatus, DatabaseLink, LinkTiming, utc_now
from app.infrastructure.resilient.memory import ResilientMemoryRepository

__all__ = [
    "ComponentStatus",
    "DatabaseLink",
    "LinkTiming",
    "ResilientCourseRepository",
    "ResilientInboundLog",
    "ResilientMemoryRepository",
    "utc_now",
]

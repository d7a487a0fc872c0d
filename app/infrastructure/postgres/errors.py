"""The database's failures as the project's own exceptions, decided at the adapter edge.

Two kinds matter to the callers: the server cannot be used right now (unreachable, restarting,
too slow, out of connections), which switches the bot to its fallbacks until it returns; and
one statement failed while the server is fine (bad data, a missing table), which does not.
"""

from __future__ import annotations

from app.application.errors import StoreUnavailableError
from app.infrastructure.redaction import redact

# SQLSTATE classes and codes meaning "the server, not the statement, is the problem".
_UNAVAILABLE_CLASSES = ("08", "53", "57P", "58")  # connection, resources, shutdown, system
_UNAVAILABLE_CODES = frozenset({"57014", "3D000", "28000", "28P01"})  # timeout, no database, auth


class DatabaseUnavailableError(StoreUnavailableError):
    """PostgreSQL cannot be reached, is shutting down, or did not answer in time."""


class DatabaseBusyError(StoreUnavailableError):
    """Every pooled connection stayed in use for the whole wait: back-pressure from a server
    that is fine, never a reason to switch to the fallbacks."""


class DatabaseQueryError(StoreUnavailableError):
    """PostgreSQL answered, but refused this statement (invalid data, missing object, ...)."""


def is_unavailable_sqlstate(sqlstate: str | None) -> bool:
    if not sqlstate:
        return True  # no SQLSTATE: the error happened before the server could answer
    return sqlstate in _UNAVAILABLE_CODES or sqlstate.startswith(_UNAVAILABLE_CLASSES)


def classify(error: BaseException, sqlstate: str | None, context: str) -> StoreUnavailableError:
    """The project exception for a driver error that carries a SQLSTATE."""
    # A driver's message may quote the connection string (libpq's "invalid dsn: ...").
    message = redact(f"{context}: {type(error).__name__}: {error}".rstrip(": "))
    if is_unavailable_sqlstate(sqlstate):
        return DatabaseUnavailableError(message)
    return DatabaseQueryError(f"{message} (SQLSTATE {sqlstate})")

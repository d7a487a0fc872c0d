"""Retention: inbound messages older than RETENTION_DAYS are deleted.

An inbound record holds a phone number, the message and the reply. It is needed while Twilio
may retry the webhook (minutes) and for support questions (weeks), not for ever; the
student's memory, which the bot needs, is not touched. Run by `python -m app prune`.

- JSON (`DATA_DIR/inbound/`): a record whose `received_at` is older than the cut-off goes,
  with its outbox markers; an unreadable record (or one set aside in `corrupt/`) goes when
  its file is older than the cut-off.
- PostgreSQL: the rows of DATABASE_RETENTION older than the cut-off, in small batches so
  that the live webhook is never blocked behind one long DELETE.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from psycopg import sql
from pydantic import BaseModel, ConfigDict, ValidationError

from app.application.ports import InboundRecord
from app.infrastructure.json_store.files import read_json
from app.infrastructure.postgres.sync_client import SyncDatabase

# (table, timestamp column) pruned in PostgreSQL; a table that does not exist is skipped.
DATABASE_RETENTION: tuple[tuple[str, str], ...] = (
    ("inbound_messages", "received_at"),
    # REST delivery (migration 0007): a turn's parts go with it (ON DELETE CASCADE).
    ("conversation_messages", "received_at"),
    ("reply_turns", "created_at"),
    ("message_statuses", "updated_at"),
    ("lead_events", "created_at"),
    ("handoffs", "opened_at"),
    ("campaign_sends", "created_at"),
)
DELETE_BATCH = 5_000
_MARKER_DIRS = ("pending", "failed")


class PruneReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    cutoff: datetime
    json_inbound: int = 0
    database: dict[str, int] = {}  # table -> rows deleted; empty without PostgreSQL


def retention_cutoff(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


def prune_json_inbound(directory: Path, cutoff: datetime) -> int:
    """Delete the JSON inbound records received before `cutoff`; how many went."""
    if not directory.is_dir():
        return 0
    removed = 0
    for path in sorted(directory.glob("*.json")):
        received = _received_at(path)
        if received is None or received >= cutoff:
            continue
        path.unlink(missing_ok=True)
        for markers in _MARKER_DIRS:
            (directory / markers / path.name).unlink(missing_ok=True)
        removed += 1
    corrupt = directory / "corrupt"
    for path in sorted(corrupt.iterdir()) if corrupt.is_dir() else []:
        modified = _modified_at(path)
        if modified is not None and modified < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def prune_database(database: SyncDatabase, cutoff: datetime) -> dict[str, int]:
    """Delete the rows of DATABASE_RETENTION older than `cutoff`; rows deleted per table."""
    deleted: dict[str, int] = {}
    for table, column in DATABASE_RETENTION:
        with database.connection() as connection:
            exists = connection.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone()
            if not (exists and exists[0]):
                continue
            statement = sql.SQL(
                "DELETE FROM {table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM {table} WHERE {column} < %s LIMIT %s))"
            ).format(table=sql.Identifier(table), column=sql.Identifier(column))
            total = 0
            while True:  # autocommit: each batch is its own short transaction
                count = connection.execute(statement, (cutoff, DELETE_BATCH)).rowcount
                total += max(count, 0)
                if count < DELETE_BATCH:
                    break
            deleted[table] = total
    return deleted


def _received_at(path: Path) -> datetime | None:
    """When the record's message came in; for an unreadable record, when its file was written."""
    try:
        data = read_json(path)
        if data is None:
            return None  # gone meanwhile
        return InboundRecord.model_validate(data).received_at
    except (ValueError, ValidationError):
        return _modified_at(path)
    except OSError:
        return None


def _modified_at(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    except OSError:
        return None

"""UserMemory <-> user_memory row, losslessly, for every driver that writes the table.

Every UserMemory field has its own column (schema v1, migration 0001). Two escape hatches
keep the mapping lossless whatever happens to the model or the data:
- a field added to UserMemory before its column exists is kept in additional_data under
  "_model_fields" and read back from there;
- a text longer than its column (a 300-character name) is stored truncated in the column,
  for SQL readers, and whole in additional_data under "_overflow", which reading prefers.
Rows written by the guide's own code, which kept the typed flags inside additional_data,
are read with those flags lifted back into their fields.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from app.domain.memory import UserMemory

# Column order of user_memory as the bot writes it (version is managed separately).
COLUMNS: tuple[str, ...] = (
    "user_id",
    "name",
    "role",
    "interests",
    "pain_points",
    "lead_score",
    "interaction_count",
    "first_interaction_at",
    "last_interaction_at",
    "message_history",
    "additional_data",
    "created_at",
    "updated_at",
    "level",
    "opted_out",
    "opted_out_at",
    "human_requested",
    "human_requested_at",
    "marketing_consent",
    "consent_asked_at",
    "pending_question",
    "intent_counts",
    "last_course_ids",
    "requested_course_ids",
)
TEXT_LIMITS = {"name": 255, "role": 255, "level": 20, "pending_question": 40}
MODEL_FIELDS_KEY = "_model_fields"
OVERFLOW_KEY = "_overflow"
_RESERVED = (MODEL_FIELDS_KEY, OVERFLOW_KEY)
_ARRAYS = ("interests", "pain_points", "last_course_ids", "requested_course_ids")
_TIMESTAMPS = (
    "first_interaction_at",
    "last_interaction_at",
    "created_at",
    "updated_at",
    "opted_out_at",
    "human_requested_at",
    "consent_asked_at",
)


def memory_to_row(memory: UserMemory) -> dict[str, Any]:
    """Column values (plain Python: lists, dicts, aware datetimes) for one user_memory row."""
    data = memory.model_dump(mode="json")
    extras = {k: v for k, v in data.pop("additional_data").items() if k not in _RESERVED}
    unmapped = {field: data.pop(field) for field in list(data) if field not in COLUMNS}
    if unmapped:
        extras[MODEL_FIELDS_KEY] = unmapped
    overflow = {}
    for column, limit in TEXT_LIMITS.items():
        value = data.get(column)
        if isinstance(value, str) and len(value) > limit:
            overflow[column] = value
            data[column] = value[:limit]
    if overflow:
        extras[OVERFLOW_KEY] = overflow
    row = {column: data.get(column) for column in COLUMNS}
    row["additional_data"] = extras
    for column in _TIMESTAMPS:
        row[column] = _utc(getattr(memory, column))
    return row


def memory_from_row(row: Mapping[str, Any]) -> UserMemory:
    """The UserMemory of a user_memory row (NULLs read as the model's defaults)."""
    data = {column: row[column] for column in COLUMNS if column in row and row[column] is not None}
    extras = dict(_json(data.pop("additional_data", None)) or {})
    data.update(extras.pop(MODEL_FIELDS_KEY, None) or {})
    data.update(extras.pop(OVERFLOW_KEY, None) or {})
    for column in ("message_history", "intent_counts"):
        if column in data:
            data[column] = _json(data[column])
    for column in _ARRAYS:
        if column in data:
            data[column] = list(data[column])
    return _with_lifted_fields(data, extras)


def lift_legacy_fields(memory: UserMemory) -> UserMemory:
    """The memory with typed fields found in additional_data moved back to their fields.

    Applied when reading rows, and by the migration to the JSON side before comparing, so
    that both sides of a checksum are read the same way.
    """
    data = memory.model_dump()
    return _with_lifted_fields(data, data.pop("additional_data"))


def _with_lifted_fields(data: dict[str, Any], extras: dict[str, Any]) -> UserMemory:
    lifted, remaining = dict(data), dict(extras)
    _lift_legacy_flags(lifted, remaining)
    try:
        return UserMemory.model_validate({**lifted, "additional_data": remaining})
    except ValidationError:
        # An extra that is not a valid value for its field stays an extra.
        return UserMemory.model_validate({**data, "additional_data": extras})


def _lift_legacy_flags(data: dict[str, Any], extras: dict[str, Any]) -> None:
    # Only into an empty field: a value the typed field already has is never overwritten,
    # and the extra is then left where it was.
    for field in UserMemory.model_fields:
        if field in ("user_id", "additional_data") or field not in extras:
            continue
        if data.get(field) in (None, False, [], {}, 0):
            data[field] = extras.pop(field)


def canonical_json(memory: UserMemory) -> str:
    """A stable text of the memory: sorted keys, every time in UTC. Equal memories, equal text."""
    return json.dumps(_canonical(memory.model_dump(mode="python")), sort_keys=True, ensure_ascii=False)


def checksum(memory: UserMemory) -> str:
    return hashlib.sha256(canonical_json(memory).encode()).hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return _utc(value).isoformat()  # type: ignore[union-attr]
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if hasattr(value, "value") and not isinstance(value, str | int | float | bool):
        return value.value
    return value


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _json(value: Any) -> Any:
    # asyncpg's codec and psycopg already decode JSON; a raw driver may hand over text.
    return json.loads(value) if isinstance(value, str) else value

"""Combining copies of one user's memory so that no side's changes are lost.

Two situations need it:
- two updates made from the same starting point (two processes answering the same user, or
  a turn saved to the local fallback while the database was away): a three-way merge keeps
  what each side changed relative to that starting point;
- several copies of one user found while migrating JSON files (a restored backup beside the
  live file): the newest copy wins, and the others add what it lacks.

Pure functions of the memories: the same inputs always give the same result.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from app.domain.lead_scoring import score_lead
from app.domain.memory import MESSAGE_HISTORY_CAP, HistoryEntry, UserMemory

_COUNTERS = frozenset({"interaction_count"})
_COUNT_MAPS = frozenset({"intent_counts"})
# List fields that only grow (capped); UserMemory's own methods keep their order and cap.
_GROWING_LISTS = {
    "interests": UserMemory.add_interests,
    "pain_points": UserMemory.add_pain_points,
    "requested_course_ids": UserMemory.remember_requested_courses,
}
_EARLIEST = frozenset({"first_interaction_at", "created_at"})
_LATEST = frozenset({"last_interaction_at", "updated_at"})
_SPECIAL = frozenset(
    {"user_id", "message_history", "additional_data", "lead_score", *_COUNTERS, *_COUNT_MAPS, *_GROWING_LISTS}
    | _EARLIEST
    | _LATEST
)


def merge_concurrent(base: UserMemory | None, ours: UserMemory, theirs: UserMemory, now: datetime) -> UserMemory:
    """`theirs` (the stored copy) plus every change `ours` made relative to `base`.

    `base` is the copy `ours` was loaded from (None: it started from nothing). Counters add
    both sides' increments, growing lists and the message history take the union, timestamps
    the earliest or latest, and any other field takes our value when we changed it. The lead
    score is recomputed from the merged memory, as every turn does.
    """
    base = base or UserMemory(user_id=ours.user_id)
    merged = theirs.model_copy(deep=True)
    for field in UserMemory.model_fields:
        if field not in _SPECIAL and getattr(ours, field) != getattr(base, field):
            setattr(merged, field, _copy(getattr(ours, field)))
    merged.interaction_count = max(0, theirs.interaction_count + ours.interaction_count - base.interaction_count)
    merged.intent_counts = _merge_counts(base.intent_counts, ours.intent_counts, theirs.intent_counts)
    for field, add in _GROWING_LISTS.items():
        added = [item for item in getattr(ours, field) if item not in getattr(base, field)]
        add(merged, added)
    merged.message_history = _merge_history(theirs.message_history, _new_entries(base, ours))
    merged.additional_data = _merge_extras(base.additional_data, ours.additional_data, theirs.additional_data)
    _merge_timestamps(merged, ours)
    merged.lead_score = score_lead(merged, now).base_score
    return merged


def combine_duplicates(copies: Sequence[UserMemory]) -> UserMemory:
    """One memory from several copies of the same user (e.g. a restored backup and the live file).

    The most recent copy (updated_at, then last message, then most interactions) is kept as
    it is; the others only add what it lacks: history entries, list items, extra data, and
    fields it left empty. Counters take the highest value, never a sum: the copies share
    their past, so adding them up would count it twice.
    """
    if not copies:
        raise ValueError("combine_duplicates needs at least one copy")
    ordered = sorted(copies, key=recency, reverse=True)
    merged = ordered[0].model_copy(deep=True)
    for other in ordered[1:]:
        for field in UserMemory.model_fields:
            if field not in _SPECIAL and getattr(merged, field) in (None, False, [], {}) and getattr(other, field):
                setattr(merged, field, _copy(getattr(other, field)))
        merged.interaction_count = max(merged.interaction_count, other.interaction_count)
        merged.lead_score = max(merged.lead_score, other.lead_score)
        for key, count in other.intent_counts.items():
            merged.intent_counts[key] = max(merged.intent_counts.get(key, 0), count)
        for field, add in _GROWING_LISTS.items():
            add(merged, [item for item in getattr(other, field) if item not in getattr(merged, field)])
        merged.message_history = _merge_history(merged.message_history, other.message_history)
        merged.additional_data = {**other.additional_data, **merged.additional_data}
        _merge_timestamps(merged, other)
    return merged


# --- parts ---------------------------------------------------------------------------------


def _entry_key(entry: HistoryEntry) -> tuple[str, str, str]:
    return entry.role, _utc(entry.at).isoformat(), entry.text


def _new_entries(base: UserMemory, ours: UserMemory) -> list[HistoryEntry]:
    seen = {_entry_key(e) for e in base.message_history}
    return [e for e in ours.message_history if _entry_key(e) not in seen]


def _merge_history(current: list[HistoryEntry], extra: list[HistoryEntry]) -> list[HistoryEntry]:
    """Both histories in time order (stable for equal times), capped like remember_message."""
    seen = {_entry_key(e) for e in current}
    combined = list(current) + [e for e in extra if _entry_key(e) not in seen]
    combined.sort(key=lambda entry: _utc(entry.at))
    return combined[-MESSAGE_HISTORY_CAP:]


def _merge_counts(base: dict[str, int], ours: dict[str, int], theirs: dict[str, int]) -> dict[str, int]:
    keys = dict.fromkeys([*theirs, *ours])
    merged = {key: theirs.get(key, 0) + ours.get(key, 0) - base.get(key, 0) for key in keys}
    return {key: count for key, count in merged.items() if count > 0}


def _merge_extras(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    merged = dict(theirs)
    for key, value in ours.items():
        if base.get(key) != value:
            merged[key] = value
    for key in base:
        if key not in ours:
            merged.pop(key, None)  # we deleted it
    return merged


def _merge_timestamps(merged: UserMemory, other: UserMemory) -> None:
    for field in _EARLIEST:
        setattr(merged, field, _pick(getattr(merged, field), getattr(other, field), min))
    for field in _LATEST:
        setattr(merged, field, _pick(getattr(merged, field), getattr(other, field), max))


def _pick(first: datetime | None, second: datetime | None, choose: Any) -> datetime | None:
    if first is None or second is None:
        return first or second
    return first if choose(_utc(first), _utc(second)) == _utc(first) else second


def recency(memory: UserMemory) -> tuple[datetime, datetime, int]:
    """How recent a copy is: last update, then last message, then number of interactions."""
    oldest = datetime.min.replace(tzinfo=UTC)
    return (
        _utc(memory.updated_at) if memory.updated_at else oldest,
        _utc(memory.last_interaction_at) if memory.last_interaction_at else oldest,
        memory.interaction_count,
    )


def _utc(moment: datetime) -> datetime:
    """Aware UTC time; a naive time is read as UTC (that is how the stores write them)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _copy(value: Any) -> Any:
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value

"""The conversation context the AI gets: a short profile summary and the last turns.

Rendering it is cheap but happens on every message, and the part that rarely changes
(the profile) is also the part a provider can cache when it reaches the prompt unchanged.
ContextCache keeps, per user and for a while (TTL), the context as it stood after the
last turn: the next message reuses it when the memory has not changed since; a finished
turn moves it forward by appending the new exchange, and the summary is only re-rendered
when the profile changed. A user idle beyond the TTL, a restart, or a turn handled by
another worker simply rebuilds it from the memory, which stays the source of truth.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from app.domain.ai import ConversationTurn
from app.domain.memory import HistoryEntry, UserMemory

RECENT_TURNS = 4  # two exchanges: enough for "el segundo" or "y ese cuánto cuesta"
USER_TURN_CHARS = 300
# Bot replies are long course lists; their opening says what was offered, the catalogue
# facts reach the prompt separately.
ASSISTANT_TURN_CHARS = 220
DEFAULT_TTL_SECONDS = 30 * 60
DEFAULT_MAX_USERS = 5_000


class ConversationContext(BaseModel):
    model_config = ConfigDict(frozen=True)

    profile_summary: str
    recent_turns: tuple[ConversationTurn, ...]


@dataclass(frozen=True)
class _Entry:
    version: tuple[int, str]
    profile_key: tuple[object, ...]
    context: ConversationContext
    expires_at: float


def render_profile_summary(memory: UserMemory) -> str:
    """What the bot knows about the student, in one short line; empty when nothing."""
    facts = [
        f"name: {memory.name}" if memory.name else "",
        f"role: {memory.role}" if memory.role else "",
        f"level: {memory.level}" if memory.level else "",
        f"interests: {', '.join(memory.interests[-5:])}" if memory.interests else "",
        f"pain points: {'; '.join(p[:80] for p in memory.pain_points[-3:])}" if memory.pain_points else "",
        "asked for an advisor" if memory.human_requested else "",
    ]
    return " | ".join(fact for fact in facts if fact)


def render_turns(history: list[HistoryEntry]) -> tuple[ConversationTurn, ...]:
    return tuple(_turn(entry) for entry in history[-RECENT_TURNS:])


def _turn(entry: HistoryEntry) -> ConversationTurn:
    limit = USER_TURN_CHARS if entry.role == "user" else ASSISTANT_TURN_CHARS
    text = entry.text.strip()
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return ConversationTurn(role=entry.role, text=text)


def _version(memory: UserMemory) -> tuple[int, str]:
    last = memory.message_history[-1].at.isoformat() if memory.message_history else ""
    return memory.interaction_count, last


def _profile_key(memory: UserMemory) -> tuple[object, ...]:
    return (
        memory.name,
        memory.role,
        memory.level,
        tuple(memory.interests),
        tuple(memory.pain_points),
        memory.human_requested,
    )


class ContextCache:
    """Per-user conversation context with a time to live and a bound on the users kept."""

    def __init__(
        self,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        max_users: int = DEFAULT_MAX_USERS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl_seconds
        self._max_users = max_users
        self._clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, memory: UserMemory) -> ConversationContext:
        """The context for the memory as loaded at the start of a turn."""
        entry = self._fresh(memory.user_id)
        if entry is not None and entry.version == _version(memory):
            self.hits += 1
            return entry.context
        self.misses += 1
        context = ConversationContext(
            profile_summary=render_profile_summary(memory), recent_turns=render_turns(memory.message_history)
        )
        self._store(memory, context)
        return context

    def advance(self, memory: UserMemory) -> None:
        """Move the cached context past the turn just remembered in `memory`."""
        entry = self._fresh(memory.user_id)
        previous_count = memory.interaction_count - 1
        if entry is None or entry.version[0] != previous_count or len(memory.message_history) < 2:
            self._entries.pop(memory.user_id, None)
            return  # the next message rebuilds it from the memory
        turns = (*entry.context.recent_turns, *(_turn(e) for e in memory.message_history[-2:]))[-RECENT_TURNS:]
        summary = entry.context.profile_summary
        if entry.profile_key != _profile_key(memory):
            summary = render_profile_summary(memory)
        self._store(memory, ConversationContext(profile_summary=summary, recent_turns=turns))

    def _fresh(self, user_id: str) -> _Entry | None:
        entry = self._entries.get(user_id)
        if entry is None:
            return None
        if entry.expires_at <= self._clock():
            del self._entries[user_id]
            return None
        return entry

    def _store(self, memory: UserMemory, context: ConversationContext) -> None:
        self._entries[memory.user_id] = _Entry(
            version=_version(memory),
            profile_key=_profile_key(memory),
            context=context,
            expires_at=self._clock() + self._ttl,
        )
        self._entries.move_to_end(memory.user_id)
        while len(self._entries) > self._max_users:
            self._entries.popitem(last=False)

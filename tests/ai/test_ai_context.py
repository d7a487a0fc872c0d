"""The conversation context cache: reused while the memory is unchanged, advanced per turn, TTL."""

from datetime import UTC, datetime, timedelta

from app.application.ai_context import (
    ASSISTANT_TURN_CHARS,
    RECENT_TURNS,
    ContextCache,
    render_profile_summary,
)
from app.domain.memory import HistoryEntry, UserMemory
from tests.fakes import SteppingMonotonicClock

NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)


def exchange(memory: UserMemory, user: str, bot: str, minute: int) -> None:
    """What ProcessIncomingMessage does after a turn."""
    at = NOW + timedelta(minutes=minute)
    memory.interaction_count += 1
    memory.remember_message(HistoryEntry(role="user", text=user, at=at))
    memory.remember_message(HistoryEntry(role="assistant", text=bot, at=at))


def test_profile_summary_is_short_and_says_only_what_is_known():
    assert render_profile_summary(UserMemory(user_id="u")) == ""
    memory = UserMemory(user_id="u", name="Carolina", role="contadora", interests=["excel", "automatización"])
    assert render_profile_summary(memory) == "name: Carolina | role: contadora | interests: excel, automatización"


def test_a_turn_advances_the_cached_context_so_the_next_message_is_a_hit():
    cache = ContextCache(clock=SteppingMonotonicClock())
    memory = UserMemory(user_id="u")
    assert cache.get(memory).recent_turns == ()
    exchange(memory, "hola", "¡Hola! ¿Qué te gustaría aprender?", 1)
    cache.advance(memory)
    context = cache.get(memory)
    assert (cache.hits, cache.misses) == (1, 1)
    assert [t.role for t in context.recent_turns] == ["user", "assistant"]


def test_only_the_last_turns_are_kept_and_long_replies_are_cut():
    cache = ContextCache(clock=SteppingMonotonicClock())
    memory = UserMemory(user_id="u")
    cache.get(memory)
    for minute in range(5):
        exchange(memory, f"mensaje {minute}", "curso " * 200, minute)
        cache.advance(memory)
    context = cache.get(memory)
    assert len(context.recent_turns) == RECENT_TURNS
    assert context.recent_turns[-2].text == "mensaje 4"
    assert len(context.recent_turns[-1].text) <= ASSISTANT_TURN_CHARS


def test_a_profile_change_re_renders_the_summary():
    cache = ContextCache(clock=SteppingMonotonicClock())
    memory = UserMemory(user_id="u")
    cache.get(memory)
    memory.name = "Ana"
    exchange(memory, "soy Ana", "¡Hola, Ana!", 1)
    cache.advance(memory)
    assert cache.get(memory).profile_summary == "name: Ana"


def test_memory_changed_elsewhere_is_rebuilt_not_trusted():
    cache = ContextCache(clock=SteppingMonotonicClock())
    memory = UserMemory(user_id="u")
    cache.get(memory)
    exchange(memory, "hola", "¡Hola!", 1)
    exchange(memory, "otro worker respondió esto", "ok", 2)  # a turn this process did not see
    cache.advance(memory)
    context = cache.get(memory)
    assert cache.misses == 2
    assert context.recent_turns[-2].text == "otro worker respondió esto"


def test_entries_expire_after_the_ttl():
    clock = SteppingMonotonicClock()
    cache = ContextCache(ttl_seconds=60, clock=clock)
    memory = UserMemory(user_id="u")
    cache.get(memory)
    clock.now = 61
    cache.get(memory)
    assert (cache.hits, cache.misses) == (0, 2)


def test_the_number_of_users_kept_is_bounded():
    cache = ContextCache(max_users=2, clock=SteppingMonotonicClock())
    for user in ("a", "b", "c"):
        cache.get(UserMemory(user_id=user))
    cache.get(UserMemory(user_id="a"))
    assert cache.misses == 4

"""In-memory fakes of the application ports, for unit tests of the use cases."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta

from app.application.errors import StoreUnavailableError
from app.application.ports import InboundRecord, UserStatistics
from app.domain.courses import Course, CourseFilters, CourseStatistics
from app.domain.memory import UserMemory
from app.domain.messages import Reply
from app.domain.text import normalize


class FakeCourseRepository:
    """Matches a query word against course names; enough to drive the use cases."""

    def __init__(self, courses: list[Course]) -> None:
        self.courses = courses

    async def get_all_courses(self, filters: CourseFilters | None = None, limit: int = 50) -> list[Course]:
        return self.courses[:limit]

    async def search_courses_by_text(self, search_text: str, limit: int = 5) -> list[Course]:
        words = {w for w in normalize(search_text).split() if len(w) > 3}
        return [c for c in self.courses if words & set(normalize(c.name).split())][:limit]

    async def get_course_complete_info(self, course_id: str) -> Course | None:
        return next((c for c in self.courses if c.id == course_id), None)

    async def get_recommended_courses(
        self,
        user_interests: list[str],
        user_level: str | None = None,
        limit: int = 3,
        *,
        role: str | None = None,
        message: str = "",
    ) -> list[Course]:
        # Courses the message names, else the first ones: the real ranking is tested on its own.
        named = await self.search_courses_by_text(message, limit) if message else []
        return named or self.courses[:limit]

    async def get_course_statistics(self) -> CourseStatistics:
        return CourseStatistics(total_courses=len(self.courses))

    async def get_course_names(self) -> tuple[tuple[str, str], ...]:
        return tuple((c.id, c.name) for c in self.courses)


class FakeMemoryRepository:
    def __init__(self) -> None:
        self.saved: dict[str, UserMemory] = {}
        self.fail = False
        self._locks: dict[str, asyncio.Lock] = {}

    def user_lock(self, user_id: str) -> AbstractAsyncContextManager[None]:
        return self._hold(user_id)

    @contextlib.asynccontextmanager
    async def _hold(self, user_id: str) -> AsyncIterator[None]:
        async with self._locks.setdefault(user_id, asyncio.Lock()):
            yield

    async def load_user_memory(self, user_id: str) -> UserMemory | None:
        if self.fail:
            raise StoreUnavailableError("down")
        stored = self.saved.get(user_id)
        return stored.model_copy(deep=True) if stored else None

    async def save_user_memory(self, memory: UserMemory) -> None:
        if self.fail:
            raise StoreUnavailableError("down")
        self.saved[memory.user_id] = memory.model_copy(deep=True)

    async def get_high_score_leads(self, min_score: int = 60, limit: int = 100) -> list[UserMemory]:
        return [m for m in self.saved.values() if m.lead_score >= min_score][:limit]

    async def get_user_statistics(self, now: datetime) -> UserStatistics:
        return UserStatistics(
            total_users=len(self.saved), active_last_7_days=0, active_last_30_days=0,
            average_lead_score=0.0, high_score_leads=0, opted_out=0, human_requested=0,
        )  # fmt: skip

    async def delete_user(self, user_id: str) -> bool:
        return self.saved.pop(user_id, None) is not None

    async def export_user(self, user_id: str) -> UserMemory | None:
        return self.saved.get(user_id)


class FakeInboundLog:
    def __init__(self) -> None:
        self.records: dict[str, InboundRecord] = {}

    async def record_if_new(self, message_id: str, user_id: str, received_at: datetime) -> bool:
        if message_id in self.records:
            return False
        self.records[message_id] = InboundRecord(message_id=message_id, user_id=user_id, received_at=received_at)
        return True

    async def store_reply(self, message_id: str, reply: Reply) -> None:
        self.records[message_id] = self.records[message_id].model_copy(update={"reply": reply})

    async def get(self, message_id: str) -> InboundRecord | None:
        return self.records.get(message_id)


class SteppingClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class SteppingMonotonicClock:
    """time.monotonic (float seconds) that stands still until a test moves it: budgets and cool-downs."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

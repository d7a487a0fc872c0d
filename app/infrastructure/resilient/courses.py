"""Courses from PostgreSQL, else the last catalogue snapshot taken from it, else the bundled one.

The snapshot is copied again only when the course tables' fingerprint changed (one cheap
query; app.infrastructure.postgres.catalog_version), and it is held in memory only while it
serves: read from its file when the database is first missed, let go once the database is
back. A process therefore keeps at most one copy of the catalogue, and none while PostgreSQL
answers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from app.application.errors import StoreUnavailableError
from app.application.ports import CourseRepository
from app.domain.courses import Course, CourseFilters, CourseStatistics
from app.infrastructure.fallback_store import CatalogSnapshot, SnapshotInfo
from app.infrastructure.json_store.course_repository import InMemoryCourseRepository
from app.infrastructure.postgres.course_repository import PostgresCourseRepository
from app.infrastructure.postgres.errors import DatabaseQueryError
from app.infrastructure.resilient.link import ComponentStatus, DatabaseLink, utc_now, utc_text

logger = logging.getLogger(__name__)
T = TypeVar("T")


class ResilientCourseRepository:
    """Courses from PostgreSQL; from its last snapshot (else the bundled catalogue) while it is away."""

    def __init__(
        self,
        primary: PostgresCourseRepository,
        link: DatabaseLink,
        snapshot: CatalogSnapshot,
        bundled: Callable[[], CourseRepository],
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._primary = primary
        self._link = link
        self._snapshot = snapshot
        self._bundled_factory = bundled
        self._bundled: CourseRepository | None = None
        self._clock = clock
        self._info: SnapshotInfo | None = None  # the snapshot on disk, if any
        self._copy: InMemoryCourseRepository | None = None  # its courses, while it serves
        self._loading = asyncio.Lock()
        self._problem: str | None = None
        self._ready = False

    @property
    def in_database(self) -> bool:
        return self._link.is_up and self._ready

    async def on_connect(self) -> None:
        """Read the catalogue's columns again; a missing table keeps courses on the fallback."""
        try:
            await self._primary.prepare()
        except DatabaseQueryError as error:
            self._ready, self._problem = False, str(error)
            logger.error("%s; courses come from the fallback catalogue", error)
            return
        self._ready, self._problem = True, None

    async def refresh_snapshot(self) -> int:
        """Copy the catalogue to the snapshot file if it changed since the last copy.

        Runs in the background after connecting and every few minutes; returns the number of
        courses in the snapshot. Also lets go of the copy held during an outage.
        """
        if not self.in_database:
            return 0
        version = await self._current_version()
        if self._info is not None and version is not None and self._info.version == version:
            self._copy = None
            return self._info.courses
        writer = self._snapshot.writer(self._clock(), version)
        try:
            async for page in self._primary.export_pages():
                await asyncio.to_thread(writer.add, page)
            self._info = await asyncio.to_thread(writer.commit)
        except BaseException:
            writer.abort()
            raise
        self._copy = None
        logger.info("catalogue snapshot refreshed: %d courses in %s", self._info.courses, self._snapshot.path)
        return self._info.courses

    async def _current_version(self) -> str | None:
        try:
            return await self._primary.catalog_version()
        except DatabaseQueryError as error:
            logger.warning("cannot fingerprint the course tables (%s); copying the whole catalogue", error)
            return None

    async def load_snapshot(self) -> None:
        """Learn what the snapshot file of an earlier run holds (its courses are read on demand)."""
        if self._info is not None:
            return
        info = await asyncio.to_thread(self._snapshot.info)
        if self._info is not None:
            return  # a refresh that ran meanwhile knows better
        self._info = info
        if info is None and self._snapshot.path.exists():
            await self._load_copy()  # a snapshot without its description: read it once

    def status(self) -> ComponentStatus:
        if self.in_database:
            return ComponentStatus(backend="postgres", state="ok")
        reason = self._problem if self._link.is_up else f"PostgreSQL unreachable since {utc_text(self._link.since)}"
        if self._info is not None:
            shown = f"catalogue snapshot of {utc_text(self._info.taken_at)}"
            return ComponentStatus(backend="snapshot", state="degraded", detail=f"{reason}; showing the {shown}")
        return ComponentStatus(backend="json", state="degraded", detail=f"{reason}; showing the bundled catalogue")

    async def get_all_courses(self, filters: CourseFilters | None = None, limit: int = 50) -> list[Course]:
        return await self._use(lambda repo: repo.get_all_courses(filters, limit))

    async def search_courses_by_text(self, search_text: str, limit: int = 5) -> list[Course]:
        return await self._use(lambda repo: repo.search_courses_by_text(search_text, limit))

    async def get_course_complete_info(self, course_id: str) -> Course | None:
        return await self._use(lambda repo: repo.get_course_complete_info(course_id))

    async def get_recommended_courses(
        self,
        user_interests: list[str],
        user_level: str | None = None,
        limit: int = 3,
        *,
        role: str | None = None,
        message: str = "",
    ) -> list[Course]:
        return await self._use(
            lambda repo: repo.get_recommended_courses(user_interests, user_level, limit, role=role, message=message)
        )

    async def get_course_statistics(self) -> CourseStatistics:
        return await self._use(lambda repo: repo.get_course_statistics())

    async def get_course_names(self) -> tuple[tuple[str, str], ...]:
        return await self._use(lambda repo: repo.get_course_names())

    async def _use(self, call: Callable[[CourseRepository], Awaitable[T]]) -> T:
        if self.in_database:
            try:
                return await call(self._primary)
            except DatabaseQueryError as error:
                # The school's tables may have changed under us (a column dropped or renamed):
                # read their columns again for the next call.
                logger.warning("course query failed (%s); re-reading the catalogue's columns", error)
                await self._reprepare()
            except StoreUnavailableError as error:
                self._link.report(error)
                logger.warning("course query failed (%s); answering from the fallback catalogue", error)
        return await call(await self._fallback())

    async def _reprepare(self) -> None:
        try:
            await self.on_connect()
        except StoreUnavailableError as error:
            self._link.report(error)

    async def _fallback(self) -> CourseRepository:
        if self._copy is None and self._info is not None:
            await self._load_copy()
        if self._copy is not None:
            return self._copy
        if self._bundled is None:
            self._bundled = self._bundled_factory()
        return self._bundled

    async def _load_copy(self) -> None:
        """Read the snapshot's courses once, however many turns ask for them at the same time."""
        async with self._loading:
            if self._copy is not None:
                return
            loaded = await asyncio.to_thread(self._snapshot.load)
            if loaded is None:
                self._info = None  # unreadable: the bundled catalogue serves, and status says so
                return
            courses, taken_at = loaded
            self._copy = InMemoryCourseRepository(courses)
            if self._info is None:
                self._info = SnapshotInfo(taken_at=taken_at, version=None, courses=len(courses))

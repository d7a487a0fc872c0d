"""Course names for the report and the campaigns: the bundled catalogue's, then the school's
own in PostgreSQL (in hybrid mode the requested ids are the school's)."""

from __future__ import annotations

import logging

from app.application.errors import StoreUnavailableError
from app.config import Settings
from app.infrastructure.json_store.course_repository import JsonCourseRepository

logger = logging.getLogger(__name__)


async def bundled_course_names() -> dict[str, str]:
    return {course.id: course.name for course in await JsonCourseRepository().get_all_courses(limit=100_000)}


async def database_course_names(settings: Settings) -> dict[str, str]:
    """The school's course names; none without DATABASE_URL or while the database is down."""
    if settings.database_url is None:
        return {}
    from app.infrastructure.postgres.lead_report import PostgresLeadReportSource  # database mode only

    database = PostgresLeadReportSource(settings.database_url.get_secret_value())
    try:
        await database.open(check_indexes=False)
        return await database.course_names()
    except StoreUnavailableError as error:
        logger.warning("course names for the report from the bundled catalogue only: %s", error)
        return {}
    finally:
        await database.close()

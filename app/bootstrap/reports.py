"""What marketers and advisors read: the lead report (`python -m app report`) and the hand-off
desk (`python -m app handoff`, and the report's sales-desk section)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING

from app.application.lead_report import ExplainLead, GenerateLeadReport, LeadReportSource
from app.bootstrap.clock import utc_now
from app.bootstrap.course_names import bundled_course_names, database_course_names
from app.config import Settings
from app.infrastructure.json_store.lead_report_source import JsonLeadReportSource
from app.infrastructure.json_store.memory_repository import JsonUserMemoryRepository

if TYPE_CHECKING:
    from app.infrastructure.postgres.handoff_desk import HandoffDesk

logger = logging.getLogger(__name__)


class LeadReports:
    """The report's use cases over one source, open for one command."""

    def __init__(self, source: LeadReportSource) -> None:
        self.source = source
        self.generate = GenerateLeadReport(source, utc_now)
        self.explain = ExplainLead(source, utc_now)


@asynccontextmanager
async def open_lead_reports(settings: Settings) -> AsyncIterator[LeadReports]:
    """PostgreSQL when DATABASE_URL is set and MEMORY_STORE is not json; else the JSON memory."""
    source = await _open_report_source(settings)
    try:
        yield LeadReports(source)
    finally:
        await source.close()


async def _open_report_source(settings: Settings) -> LeadReportSource:
    bundled = await bundled_course_names()
    if settings.database_url is not None and settings.memory_store != "json":
        # Imported here: a report over the JSON memory never loads the PostgreSQL drivers.
        from app.infrastructure.postgres.lead_report import PostgresLeadReportSource

        database = PostgresLeadReportSource(settings.database_url.get_secret_value(), fallback_course_names=bundled)
        await database.open()
        logger.debug("lead report from %s", database.description)
        return database
    directory = settings.data_dir / "memory"
    names = {**bundled, **await database_course_names(settings)}
    logger.debug("lead report from the JSON memory in %s", directory)
    return JsonLeadReportSource(JsonUserMemoryRepository(directory), names, f"memoria JSON ({directory})")


@contextmanager
def open_handoff_desk(settings: Settings) -> Iterator[HandoffDesk]:
    """The advisors' desk on its own small psycopg pool, open for one command."""
    from app.infrastructure.postgres.handoff_desk import HandoffDesk
    from app.infrastructure.postgres.sync_client import SyncDatabase

    assert settings.database_url is not None
    database = SyncDatabase(settings.database_url.get_secret_value())
    database.open()
    try:
        yield HandoffDesk(database)
    finally:
        database.close()

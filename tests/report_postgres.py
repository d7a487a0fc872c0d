"""A PostgreSQL database shaped as in production for the lead report tests.

The schema comes from estructura_db.sql (the school's course tables) and the bot's own
migration runner (user_memory, and the report indexes of migrations 0050-0053); the bundled
catalogue is loaded by the bot's catalogue loader; memories are saved by the bot's PostgreSQL
memory adapter.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import TypeVar

import psycopg

from app.domain.memory import UserMemory
from app.infrastructure.json_store.course_repository import bundled_catalog_path, load_catalog
from app.infrastructure.postgres.catalog_loader import load_catalog_into
from app.infrastructure.postgres.client import PostgresClient
from app.infrastructure.postgres.lead_report import PostgresLeadReportSource
from app.infrastructure.postgres.memory_repository import PostgresUserMemoryRepository
from app.infrastructure.postgres.migrator import apply_migrations
from app.infrastructure.postgres.sync_client import SyncDatabase

T = TypeVar("T")
SCHOOL_SCHEMA = Path(__file__).resolve().parent.parent / "estructura_db.sql"


def prepare_database(url: str, *, with_courses: bool = True) -> None:
    """The bot's migrations; with_courses adds the school's tables and the bundled catalogue,
    loaded the way `python -m app db load-catalog` loads it."""
    if with_courses:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(SCHOOL_SCHEMA.read_text(encoding="utf-8").encode())
    database = SyncDatabase(url)
    database.open()
    try:
        apply_migrations(database)
        if with_courses:
            load_catalog_into(database, load_catalog(bundled_catalog_path()))
    finally:
        database.close()


def insert_memories(url: str, memories: Iterable[UserMemory]) -> None:
    """Saved by the bot's own PostgreSQL memory adapter, exactly as conversations save them."""

    async def save_all() -> None:
        client = PostgresClient(url)
        await client.connect()
        try:
            repository = PostgresUserMemoryRepository(client)
            for memory in memories:
                await repository.save_user_memory(memory)
        finally:
            await client.close()

    asyncio.run(save_all())
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("ANALYZE user_memory")


def on_postgres(url: str, action: Callable[[PostgresLeadReportSource], Awaitable[T]]) -> T:
    """Run `action` with an open source; the pool lives and dies inside one event loop."""

    async def run() -> T:
        source = PostgresLeadReportSource(url)
        await source.open()
        try:
            return await action(source)
        finally:
            await source.close()

    return asyncio.run(run())

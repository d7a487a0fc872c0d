"""The PostgreSQL storage of database mode, opened on the engine's event loop."""

from __future__ import annotations

from datetime import timedelta

from app.config import Settings
from app.infrastructure.event_loop import EventLoopThread
from app.infrastructure.postgres.client import PoolOptions
from app.infrastructure.storage import DatabaseStorage, StorageOptions, open_database_storage


def open_storage(settings: Settings, loop: EventLoopThread, pool: PoolOptions | None = None) -> DatabaseStorage:
    """PostgreSQL courses, and memory unless MEMORY_STORE=json; the pool lives on `loop`."""
    assert settings.database_url is not None
    options = StorageOptions(
        database_url=settings.database_url.get_secret_value(),
        data_dir=settings.data_dir,
        memory_in_json=settings.memory_store == "json",
        pool=pool or PoolOptions(),
        retention=timedelta(days=settings.retention_days),
        memory_cache_bytes=int(settings.memory_cache_mb * 1_000_000),
    )
    return open_database_storage(options, loop)

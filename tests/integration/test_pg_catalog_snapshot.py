"""The catalogue snapshot kept for outages: copied again only when the course tables changed.

A real PostgreSQL with the bundled catalogue loaded through `db load-catalog`'s code; the
stores are built as the bot builds them (DatabaseStorage) on the engine's loop.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from app.infrastructure.event_loop import EventLoopThread
from app.infrastructure.fallback_store import CatalogSnapshot
from app.infrastructure.postgres.course_repository import PostgresCourseRepository
from app.infrastructure.storage import FALLBACK_DIR, DatabaseStorage, StorageOptions

CHANGES = [
    "UPDATE ai_courses SET price = '1' WHERE id_course = (SELECT min(id_course::text)::uuid FROM ai_courses)",
    "UPDATE ai_course_session SET title = title || '.' WHERE id_session = (SELECT min(id_session::text)::uuid "
    "FROM ai_course_session)",
    "DELETE FROM ai_tema_activity WHERE id_activity = (SELECT min(id_activity::text)::uuid FROM ai_tema_activity)",
    "UPDATE bond SET content = content || '!' WHERE id_bond = (SELECT min(id_bond) FROM bond)",
    "UPDATE course_metadata SET tags = '{}' WHERE id_course = (SELECT min(id_course::text)::uuid FROM course_metadata)",
]


def execute(url: str, statement: str) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement.encode())


def open_storage(engine: EventLoopThread, url: str, data_dir: Path) -> DatabaseStorage:
    storage = DatabaseStorage(StorageOptions(database_url=url, data_dir=data_dir, snapshot_every_seconds=None))
    assert engine.run(storage.start())
    return storage


@pytest.fixture
def storage(engine, catalog_database, tmp_path) -> Iterator[DatabaseStorage]:
    opened = open_storage(engine, catalog_database, tmp_path)
    yield opened
    engine.run(opened.close())


def snapshot_file(data_dir: Path) -> Path:
    return data_dir / FALLBACK_DIR / "catalog_snapshot.json"


def written_at(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns  # a new atomic write is a new file


@pytest.mark.parametrize("change", CHANGES)
def test_the_fingerprint_changes_with_any_row_of_any_course_table_and_only_then(
    engine, catalog_client, catalog_database, change
):
    repository = PostgresCourseRepository(catalog_client)
    engine.run(repository.prepare())
    before = engine.run(repository.catalog_version())
    assert engine.run(repository.catalog_version()) == before
    execute(catalog_database, change)
    assert engine.run(repository.catalog_version()) != before


def test_an_unchanged_catalogue_is_not_copied_or_written_again(
    engine, storage, catalog_database, tmp_path, bundled_courses
):
    assert engine.run(storage.courses.refresh_snapshot()) == len(bundled_courses)
    path = snapshot_file(tmp_path)
    first = written_at(path)
    assert engine.run(storage.courses.refresh_snapshot()) == len(bundled_courses)
    assert written_at(path) == first

    execute(catalog_database, "UPDATE ai_courses SET price = '12345' WHERE name = 'Python desde Cero'")
    engine.run(storage.courses.refresh_snapshot())
    assert written_at(path) != first
    loaded = CatalogSnapshot(path).load()
    assert loaded is not None
    assert [c.price for c in loaded[0] if c.name == "Python desde Cero"] == ["12345"]


def test_a_restarted_process_keeps_the_snapshot_of_an_unchanged_catalogue(engine, catalog_database, tmp_path):
    first = open_storage(engine, catalog_database, tmp_path)
    engine.run(first.courses.refresh_snapshot())
    engine.run(first.close())
    before = written_at(snapshot_file(tmp_path))
    again = open_storage(engine, catalog_database, tmp_path)
    try:
        engine.run(again.courses.load_snapshot())
        engine.run(again.courses.refresh_snapshot())
        assert written_at(snapshot_file(tmp_path)) == before
    finally:
        engine.run(again.close())


def test_a_snapshot_without_its_description_is_copied_again_and_described(engine, catalog_database, tmp_path):
    first = open_storage(engine, catalog_database, tmp_path)
    engine.run(first.courses.refresh_snapshot())
    engine.run(first.close())
    info = snapshot_file(tmp_path).with_suffix(".info.json")
    info.unlink()  # as a snapshot written before the descriptions existed
    again = open_storage(engine, catalog_database, tmp_path)
    try:
        engine.run(again.courses.load_snapshot())
        engine.run(again.courses.refresh_snapshot())
        assert info.exists()
    finally:
        engine.run(again.close())


def test_load_catalog_leaves_the_course_tables_analyzed(catalog_database):
    with psycopg.connect(catalog_database) as connection:
        rows = connection.execute(
            "SELECT relname, last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = ANY(%s)",
            (["ai_courses", "ai_course_session", "ai_tema_activity", "bond", "course_metadata"],),
        ).fetchall()
    assert sorted(rows) == sorted(
        (table, True) for table in ("ai_courses", "ai_course_session", "ai_tema_activity", "bond", "course_metadata")
    )

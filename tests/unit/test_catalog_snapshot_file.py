"""The catalogue snapshot file: written page by page, replaced whole or not at all."""

from datetime import UTC, datetime

from app.infrastructure.fallback_store import CatalogSnapshot
from app.infrastructure.json_store.course_repository import bundled_catalog_path, load_catalog

TAKEN = datetime(2026, 11, 1, 12, tzinfo=UTC)


def courses():
    return list(load_catalog(bundled_catalog_path()))


def test_pages_written_then_committed_read_back_as_the_same_courses_with_their_description(tmp_path):
    snapshot = CatalogSnapshot(tmp_path / "catalog_snapshot.json")
    every = courses()
    writer = snapshot.writer(TAKEN, "ai_courses:3:42")
    writer.add(every[:2])
    writer.add(every[2:])
    info = writer.commit()
    assert (info.courses, info.version, info.taken_at) == (len(every), "ai_courses:3:42", TAKEN)
    assert snapshot.info() == info
    assert snapshot.load() == (every, TAKEN)


def test_an_abandoned_copy_leaves_the_previous_snapshot_and_no_temporary_file(tmp_path):
    snapshot = CatalogSnapshot(tmp_path / "catalog_snapshot.json")
    every = courses()
    first = snapshot.writer(TAKEN, "v1")
    first.add(every)
    first.commit()
    broken = snapshot.writer(datetime(2026, 11, 2, tzinfo=UTC), "v2")
    broken.add(every[:1])
    broken.abort()  # the database went away mid-copy
    assert snapshot.load() == (every, TAKEN)
    assert snapshot.info() is not None and snapshot.info().version == "v1"  # type: ignore[union-attr]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog_snapshot.info.json", "catalog_snapshot.json"]


def test_a_snapshot_without_its_description_has_no_known_version(tmp_path):
    snapshot = CatalogSnapshot(tmp_path / "catalog_snapshot.json")
    assert snapshot.info() is None
    writer = snapshot.writer(TAKEN, "v1")
    writer.add(courses())
    writer.commit()
    (tmp_path / "catalog_snapshot.info.json").write_text("{broken", encoding="utf-8")
    assert snapshot.info() is None

"""The JSON course repository and the integrity of the bundled catalogue."""

import asyncio
import inspect
import json
import re
import uuid
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from app.application.ports import CourseRepository
from app.domain.course_search import rank_courses
from app.domain.courses import Course, CourseFilters, Level, Modality
from app.domain.text import normalize
from app.infrastructure.json_store.course_repository import (
    CatalogFileError,
    JsonCourseRepository,
    bundled_catalog_path,
)

CATALOG = Path(__file__).resolve().parents[2] / "app" / "infrastructure" / "catalog" / "courses.json"
ACTIVITY_TYPES = {"video", "lectura", "ejercicio", "proyecto", "quiz", "taller"}
BONUS_TYPES = {"plantilla", "comunidad", "mentoría", "certificado", "recursos"}


@pytest.fixture(scope="module")
def raw() -> list[dict]:
    return json.loads(CATALOG.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def repo() -> JsonCourseRepository:
    return JsonCourseRepository()


def run(coroutine):
    return asyncio.run(coroutine)


def write_catalog(path: Path, courses: list[dict]) -> Path:
    path.write_text(json.dumps(courses, ensure_ascii=False), encoding="utf-8")
    return path


def minimal(course_id: str, name: str, **fields: object) -> dict:
    return {"id": course_id, "name": name, **fields}


# --- the bundled catalogue -----------------------------------------------------------------


def test_bundled_path_is_the_catalogue_in_the_package():
    assert bundled_catalog_path() == CATALOG
    assert JsonCourseRepository.bundled_catalog_path() == CATALOG
    assert JsonCourseRepository().path == CATALOG


def test_catalogue_size_levels_and_modalities(raw):
    assert len(raw) >= 24
    assert {c["level"] for c in raw} == {"principiante", "intermedio", "avanzado"}
    assert {c["modality"] for c in raw} == {"online", "presencial", "híbrido"}


def test_every_course_maps_one_to_one_onto_the_model(raw):
    for item in raw:
        assert set(item) <= set(Course.model_fields), item["name"]
        model = Course.model_validate(item)
        assert model.model_dump(mode="json", exclude_unset=True) == item, item["name"]


def test_ids_are_unique_uuids(raw):
    course_ids = [c["id"] for c in raw]
    session_ids = [s["id"] for c in raw for s in c["sessions"]]
    activity_ids = [a["id"] for c in raw for s in c["sessions"] for a in s["activities"]]
    bonus_ids = [b["id"] for c in raw for b in c["bonuses"]]
    for ids in (course_ids, session_ids, activity_ids, bonus_ids):
        assert len(ids) == len(set(ids))
    for value in course_ids + session_ids + activity_ids:
        assert str(uuid.UUID(value)) == value
    assert all(isinstance(b, int) for b in bonus_ids)
    assert not set(course_ids) & set(session_ids) and not set(session_ids) & set(activity_ids)


def test_sessions_are_complete_and_numbered(raw):
    for c in raw:
        assert c["session_count"] == len(c["sessions"]) > 0, c["name"]
        assert [s["index"] for s in c["sessions"]] == list(range(1, len(c["sessions"]) + 1)), c["name"]
        for session in c["sessions"]:
            assert session["title"] and session["objective"] and session["duration_minutes"] > 0
            assert session["activities"], session["title"]
            for activity in session["activities"]:
                assert activity["session_id"] == session["id"]
                assert activity["item_type"] in ACTIVITY_TYPES
                assert activity["title"]


def test_prices_dates_and_descriptions_are_plausible(raw):
    for c in raw:
        assert re.fullmatch(r"\d+", c["price"]), c["price"]
        assert 49 <= int(c["price"]) <= 899, c["name"]
        assert c["currency"] in {"USD", "MXN", "COP"}
        assert c["start_date"].startswith("2027-")
        assert c["duration_hours"] > 0 and c["short_description"] and c["long_description"] and c["category"]
        assert c["tags"] and all(isinstance(t, str) and t for t in c["tags"])
        assert c["bonuses"] and all(b["bonus_type"] in BONUS_TYPES and b["content"] for b in c["bonuses"])
    assert Counter(c["currency"] for c in raw).most_common(1)[0][0] == "USD"


def test_duration_matches_the_sessions(raw):
    for c in raw:
        minutes = sum(s["duration_minutes"] for s in c["sessions"])
        assert abs(c["duration_hours"] - minutes / 60) <= 1, c["name"]


# --- the port --------------------------------------------------------------------------------


def test_implements_every_method_of_the_port():
    for name, member in inspect.getmembers(CourseRepository, inspect.isfunction):
        if name.startswith("_"):
            continue
        implementation = getattr(JsonCourseRepository, name)
        assert inspect.iscoroutinefunction(implementation), name
        expected = inspect.signature(member).parameters
        actual = inspect.signature(implementation).parameters
        assert [(p.name, p.default) for p in actual.values()] == [(p.name, p.default) for p in expected.values()]


def test_all_courses_sorted_by_name_and_limited(repo, raw):
    everything = run(repo.get_all_courses())
    assert len(everything) == min(len(raw), 50)
    assert [c.name for c in everything] == sorted((c["name"] for c in raw), key=normalize)
    assert len(run(repo.get_all_courses(limit=5))) == 5
    assert run(repo.get_all_courses(limit=0)) == []


@pytest.mark.parametrize("level", list(Level))
def test_level_filter(repo, raw, level):
    found = run(repo.get_all_courses(CourseFilters(level=level)))
    assert found and {c.level for c in found} == {level.value}
    assert len(found) == sum(1 for c in raw if c["level"] == level.value)


@pytest.mark.parametrize("modality", list(Modality))
def test_modality_filter(repo, raw, modality):
    found = run(repo.get_all_courses(CourseFilters(modality=modality)))
    assert found and {c.modality for c in found} == {modality.value}
    assert len(found) == sum(1 for c in raw if c["modality"] == modality.value)


def test_hibrido_without_accent_is_the_same_modality(tmp_path):
    path = write_catalog(
        tmp_path / "c.json",
        [minimal("a", "Uno", modality="hibrido"), minimal("b", "Dos", modality="Híbrido"), minimal("c", "Tres")],
    )
    repo = JsonCourseRepository(path)
    found = run(repo.get_all_courses(CourseFilters(modality=Modality.HIBRIDO)))
    assert [c.id for c in found] == ["b", "a"]
    assert run(repo.get_course_statistics()).by_modality == {"híbrido": 2}


def test_max_price_filter(repo, raw):
    found = run(repo.get_all_courses(CourseFilters(max_price=Decimal("150"))))
    expected = {c["id"] for c in raw if Decimal(c["price"]) <= 150}
    assert {c.id for c in found} == expected and expected


def test_unreadable_price_is_not_under_any_budget(tmp_path):
    path = write_catalog(
        tmp_path / "c.json", [minimal("a", "Uno", price="Consultar"), minimal("b", "Dos", price="$1.299,00")]
    )
    repo = JsonCourseRepository(path)
    assert [c.id for c in run(repo.get_all_courses(CourseFilters(max_price=Decimal("5000"))))] == ["b"]


def test_category_filter_ignores_case_and_accents(repo, raw):
    found = run(repo.get_all_courses(CourseFilters(category="ANALISIS DE DATOS")))
    assert {c.id for c in found} == {c["id"] for c in raw if c["category"] == "Análisis de Datos"}
    assert run(repo.get_all_courses(CourseFilters(category="Astrología"))) == []


def test_filters_combine(repo, raw):
    filters = CourseFilters(level=Level.PRINCIPIANTE, modality=Modality.ONLINE, max_price=Decimal("130"))
    found = run(repo.get_all_courses(filters))
    expected = {
        c["id"]
        for c in raw
        if c["level"] == "principiante" and c["modality"] == "online" and Decimal(c["price"]) <= 130
    }
    assert {c.id for c in found} == expected and expected


def test_search_uses_the_shared_ranking(repo, raw):
    courses = [Course.model_validate(c) for c in raw]
    found = run(repo.search_courses_by_text("automatizar reportes de excel", limit=3))
    assert found == rank_courses(courses, "automatizar reportes de excel", 3)
    assert found[0].name == "Automatización de Reportes de Excel con Python e IA"
    assert run(repo.search_courses_by_text("hola", limit=3)) == []


def test_complete_info(repo, raw):
    item = raw[3]
    found = run(repo.get_course_complete_info(item["id"]))
    assert found is not None and found.name == item["name"]
    assert len(found.sessions) == len(item["sessions"]) and len(found.bonuses) == len(item["bonuses"])
    assert found.sessions[0].activities
    assert run(repo.get_course_complete_info("no-existe")) is None


def test_recommendations_prefer_the_level(repo):
    suggested = run(repo.get_recommended_courses(["machine learning"], "principiante", limit=3))
    assert suggested and suggested[0].level != "avanzado"
    assert len(run(repo.get_recommended_courses([], None))) == 3


def test_statistics_match_the_file(repo, raw):
    stats = run(repo.get_course_statistics())
    prices = [Decimal(c["price"]) for c in raw]
    assert stats.total_courses == len(raw)
    assert stats.by_level == dict(Counter(c["level"] for c in raw))
    assert stats.by_modality == dict(Counter(c["modality"] for c in raw))
    assert stats.min_price == min(prices) and stats.max_price == max(prices)
    assert set(stats.currencies) == {c["currency"] for c in raw}
    assert stats.total_sessions == sum(len(c["sessions"]) for c in raw)


def test_statistics_of_an_empty_catalogue(tmp_path):
    stats = run(JsonCourseRepository(write_catalog(tmp_path / "c.json", [])).get_course_statistics())
    assert stats.total_courses == 0 and stats.min_price is None and stats.currencies == ()


def test_file_is_read_once(tmp_path, raw):
    path = write_catalog(tmp_path / "c.json", raw[:2])
    repo = JsonCourseRepository(path)
    path.write_text("{ roto", encoding="utf-8")
    assert len(run(repo.get_all_courses())) == 2


# --- malformed files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('[{"id": "a", "name": "Uno"},', "not valid JSON"),
        ('{"id": "a", "name": "Uno"}', "expected a JSON list"),
        ('[{"id": "a", "name": "Uno"}, "texto"]', "course #2 must be a JSON object"),
        ('[{"id": "a", "name": "Uno"}, {"id": "b"}]', "course #2 (id 'b') is invalid: name"),
        ('[{"id": "a", "name": "Uno", "session_count": "muchas"}]', "session_count"),
        ('[{"id": "a", "name": "Uno"}, {"id": "a", "name": "Dos"}]', "duplicate course ids: a"),
        (
            '[{"id": "a", "name": "Uno", "session_count": 3, "sessions": [{"id": "s", "index": 1, "title": "T"}]}]',
            "session_count=3 but lists 1 sessions",
        ),
    ],
)
def test_malformed_catalogue_names_file_and_problem(tmp_path, content, problem):
    path = tmp_path / "catalogo.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogFileError) as caught:
        JsonCourseRepository(path)
    message = str(caught.value)
    assert str(path) in message
    assert problem in message


def test_json_error_says_where(tmp_path):
    path = tmp_path / "catalogo.json"
    path.write_text('[\n  {"id": "a",\n   "name": }\n]', encoding="utf-8")
    with pytest.raises(CatalogFileError, match=r"line 3, column"):
        JsonCourseRepository(path)


def test_missing_file_is_a_clear_error(tmp_path):
    path = tmp_path / "no-existe.json"
    with pytest.raises(CatalogFileError, match="cannot be read") as caught:
        JsonCourseRepository(path)
    assert str(path) in str(caught.value)

"""The course catalogue from a JSON file: the bundled sample, or the school's own export.

The file is a JSON list whose items map one to one onto domain.courses.Course. It is read
once, at construction, so a broken file stops the bot at start-up with a message naming the
file and the problem, instead of failing one conversation at a time.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.domain.course_search import rank_courses, recommend_courses
from app.domain.courses import Course, CourseFilters, CourseStatistics, Level, Modality
from app.domain.recommendations import StudentProfile, recommend_for_student
from app.domain.text import normalize

_MAX_REPORTED_ERRORS = 3


class CatalogFileError(ValueError):
    """The catalogue file cannot be read, is not JSON, or does not hold valid courses."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"course catalogue {path}: {problem}")
        self.path = path
        self.problem = problem


def bundled_catalog_path() -> Path:
    """The sample catalogue shipped with the application."""
    return Path(__file__).resolve().parent.parent / "catalog" / "courses.json"


def load_catalog(path: Path) -> tuple[Course, ...]:
    """Every course in the file, in file order; CatalogFileError when anything is wrong."""
    raw = _read_json(path)
    if not isinstance(raw, list):
        raise CatalogFileError(path, f"expected a JSON list of courses, found {type(raw).__name__}")
    courses = tuple(_parse_course(path, position, item) for position, item in enumerate(raw, start=1))
    _check_consistency(path, courses)
    return courses


class InMemoryCourseRepository:
    """The CourseRepository port over a list of courses, ranked by the domain's functions.

    Serves the bundled JSON catalogue and the snapshot of the school's database catalogue
    kept for outages, so both answer exactly alike.
    """

    def __init__(self, courses: Iterable[Course]) -> None:
        self._courses = tuple(courses)
        self._by_id = {course.id: course for course in self._courses}
        self._names = tuple(sorted((course.id, course.name) for course in self._courses))

    def __len__(self) -> int:
        return len(self._courses)

    async def get_all_courses(self, filters: CourseFilters | None = None, limit: int = 50) -> list[Course]:
        if limit <= 0:
            return []
        selected = [c for c in self._courses if filters is None or _matches(c, filters)]
        selected.sort(key=lambda c: (normalize(c.name), c.id))
        return selected[:limit]

    async def search_courses_by_text(self, search_text: str, limit: int = 5) -> list[Course]:
        """Courses matching the text, most relevant first; accent- and typo-tolerant."""
        return rank_courses(self._courses, search_text, limit)

    async def get_course_complete_info(self, course_id: str) -> Course | None:
        """The course with its sessions, activities and bonuses."""
        return self._by_id.get(course_id)

    async def get_recommended_courses(
        self,
        user_interests: list[str],
        user_level: str | None = None,
        limit: int = 3,
        *,
        role: str | None = None,
        message: str = "",
    ) -> list[Course]:
        if role is None and not message:
            return recommend_courses(self._courses, user_interests, user_level, limit)
        student = StudentProfile(message=message, interests=tuple(user_interests), role=role, level=user_level)
        return recommend_for_student(self._courses, student, limit)

    async def get_course_statistics(self) -> CourseStatistics:
        return course_statistics(self._courses)

    async def get_course_names(self) -> tuple[tuple[str, str], ...]:
        return self._names


class JsonCourseRepository(InMemoryCourseRepository):
    """The catalogue of a JSON file (the bundled one by default), validated at load."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path or bundled_catalog_path()
        super().__init__(load_catalog(self._path))

    @classmethod
    def bundled_catalog_path(cls) -> Path:
        return bundled_catalog_path()

    @property
    def path(self) -> Path:
        return self._path


def course_statistics(courses: Sequence[Course]) -> CourseStatistics:
    """Counts by level and modality, the price range, currencies and the number of sessions."""
    prices = [c.price_amount for c in courses if c.price_amount is not None]
    return CourseStatistics(
        total_courses=len(courses),
        by_level=_count(_canonical(c.level, Level) for c in courses),
        by_modality=_count(_canonical(c.modality, Modality) for c in courses),
        min_price=min(prices, default=None),
        max_price=max(prices, default=None),
        currencies=tuple(sorted({c.currency for c in courses if c.currency})),
        # Sessions the catalogue actually describes, not the advertised session_count.
        total_sessions=sum(len(c.sessions) for c in courses),
    )


# --- loading -------------------------------------------------------------------------------


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogFileError(path, f"cannot be read ({error.strerror or error})") from error
    except UnicodeDecodeError as error:
        raise CatalogFileError(path, f"is not UTF-8 text ({error.reason})") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CatalogFileError(
            path, f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from error


def _parse_course(path: Path, position: int, item: object) -> Course:
    label = _course_label(position, item)
    if not isinstance(item, dict):
        raise CatalogFileError(path, f"{label} must be a JSON object, found {type(item).__name__}")
    try:
        return Course.model_validate(item)
    except ValidationError as error:
        raise CatalogFileError(path, f"{label} is invalid: {_describe(error)}") from error


def _course_label(position: int, item: object) -> str:
    if isinstance(item, dict) and item.get("id"):
        return f"course #{position} (id {item['id']!r})"
    return f"course #{position}"


def _describe(error: ValidationError) -> str:
    problems = [
        f"{'.'.join(str(part) for part in detail['loc']) or 'course'}: {detail['msg']}"
        for detail in error.errors()[:_MAX_REPORTED_ERRORS]
    ]
    hidden = error.error_count() - len(problems)
    return "; ".join(problems) + (f" (and {hidden} more)" if hidden > 0 else "")


def _check_consistency(path: Path, courses: Sequence[Course]) -> None:
    """Problems pydantic cannot see because they span fields or courses."""
    duplicates = sorted(course_id for course_id, n in Counter(c.id for c in courses).items() if n > 1)
    if duplicates:
        raise CatalogFileError(path, f"duplicate course ids: {', '.join(duplicates)}")
    for course in courses:
        # A course without session detail may still advertise how many sessions it has.
        if course.sessions and course.session_count not in (None, len(course.sessions)):
            raise CatalogFileError(
                path,
                f"course {course.id!r} says session_count={course.session_count} "
                f"but lists {len(course.sessions)} sessions",
            )


# --- filtering and counting ----------------------------------------------------------------


def _matches(course: Course, filters: CourseFilters) -> bool:
    if filters.level is not None and not _same(course.level, filters.level.value):
        return False
    # normalize() drops accents, so "hibrido" in a file matches Modality.HIBRIDO ("híbrido").
    if filters.modality is not None and not _same(course.modality, filters.modality.value):
        return False
    if filters.category is not None and not _same(course.category, filters.category):
        return False
    if filters.max_price is not None:
        # A price that cannot be read cannot be promised to be under the budget.
        amount = course.price_amount
        if amount is None or amount > filters.max_price:
            return False
    return True


def _same(value: str | None, wanted: str) -> bool:
    return value is not None and normalize(value) == normalize(wanted)


def _canonical(value: str | None, vocabulary: type[Level] | type[Modality]) -> str | None:
    """The enum spelling of a stored level or modality ("hibrido" -> "híbrido"), else the raw text."""
    if value is None:
        return None
    for member in vocabulary:
        if normalize(member.value) == normalize(value):
            return member.value
    return value


def _count(values: Iterable[str | None]) -> dict[str, int]:
    counts = Counter(v for v in values if v)
    return dict(sorted(counts.items()))

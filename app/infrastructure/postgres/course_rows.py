"""Rows of the school's course tables as domain Course objects.

Other people's data arrives with NULLs, blank strings, negative counts and sessions without a
title; a row is turned into the most faithful valid Course, and only a row that cannot be read
at all is skipped (and logged), so one bad course never breaks a whole answer.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from pydantic import ValidationError

from app.domain.courses import Course, CourseActivity, CourseBonus, CourseSession

logger = logging.getLogger(__name__)


def course_from_row(row: Mapping[str, Any]) -> Course | None:
    """The Course a row of the course statements (course_sql) describes, or None if unreadable."""
    try:
        return Course(
            id=str(row["id"]),
            name=_text(row["name"]) or "",
            short_description=_text(row["short_description"]),
            long_description=_text(row["long_description"]),
            session_count=_non_negative(row["session_count"]),
            price=_text(row["price"]),
            currency=_text(row["currency"]),
            level=_text(row["level"]),
            modality=_text(row["modality"]),
            category=_text(row["category"]),
            tags=tuple(t for t in (_text(tag) for tag in row["tags"] or ()) if t),
            duration_hours=_hours(row["total_duration_min"]),
            start_date=row["start_date"],
            sessions=tuple(_sessions(row["sessions"] or ())),
            bonuses=tuple(_bonuses(row["bonuses"] or ())),
        )
    except (ValidationError, KeyError, TypeError, ValueError) as error:
        logger.warning("skipping course %s: it cannot be read (%s)", row.get("id"), error)
        return None


def courses_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[Course]:
    return [course for course in (course_from_row(row) for row in rows) if course is not None]


def _sessions(items: Iterable[Mapping[str, Any]]) -> Iterable[CourseSession]:
    for position, item in enumerate(items, start=1):
        index = _non_negative(item.get("index"))
        index = index if index is not None else position
        yield CourseSession(
            id=str(item["id"]),
            index=index,
            # A session row without a title still counts; it is shown by its number.
            title=_text(item.get("title")) or f"Sesión {index}",
            objective=_text(item.get("objective")),
            duration_minutes=_non_negative(item.get("duration_minutes")),
            starts_on=_date(item.get("starts_on")),
            activities=tuple(_activities(item.get("activities") or ())),
        )


def _activities(items: Iterable[Mapping[str, Any]]) -> Iterable[CourseActivity]:
    for item in items:
        title = _text(item.get("title"))
        if title:
            yield CourseActivity(
                id=str(item["id"]),
                session_id=_text(item.get("session_id")),
                item_type=_text(item.get("item_type")),
                title=title,
            )


def _bonuses(items: Iterable[Mapping[str, Any]]) -> Iterable[CourseBonus]:
    for item in items:
        content = _text(item.get("content"))
        if content and item.get("id") is not None:
            yield CourseBonus(id=int(item["id"]), content=content, bonus_type=_text(item.get("bonus_type")))


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _non_negative(value: object) -> int | None:
    if value is None:
        return None
    number = int(value)  # type: ignore[call-overload]
    return number if number >= 0 else None


def _hours(minutes: object) -> int | None:
    """total_duration_min as whole hours, the catalogue's duration_hours."""
    value = _non_negative(minutes)
    return None if value is None else round(value / 60)


def _date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])

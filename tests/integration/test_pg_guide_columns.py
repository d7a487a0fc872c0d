"""Rows written into estructura_db.sql's tables with only the columns the integration guide names.

Whoever fills the school's tables by hand or from another system writes the guide's
columns and nothing else; those rows must be accepted by the tables this project creates
and read by the bot, with what they leave out (modality, an activity's type and position,
a bonus's type) as unknown.
"""

from __future__ import annotations

import uuid

import psycopg

from app.domain.courses import CourseFilters, Level, Modality
from app.infrastructure.postgres.course_repository import PostgresCourseRepository
from tests.integration.conftest import connect

COURSE = uuid.uuid4()
SESSIONS = (uuid.uuid4(), uuid.uuid4())


def _write_guide_columns_only(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            "INSERT INTO ai_courses (id_course, Name, Short_description, Long_descrption, session_count, Price, "
            "Currency, level) VALUES (%s, 'Python para Contadores', 'Automatiza tus conciliaciones con Python', "
            "'De cero a tus primeros scripts contables.', 2, '149', 'USD', 'principiante')",
            (COURSE,),
        )
        connection.execute(
            "INSERT INTO ai_course_session (id_session, id_course_fk, session_index, title) "
            "VALUES (%s, %s, 1, 'Primeros pasos'), (%s, %s, 2, 'Conciliaciones')",
            (SESSIONS[0], COURSE, SESSIONS[1], COURSE),
        )
        connection.execute(
            "INSERT INTO ai_tema_activity (id_session_fk, title_item) VALUES (%s, 'Variables'), (%s, 'Instalación')",
            (SESSIONS[0], SESSIONS[0]),
        )
        # One numbered activity: the positioned ones come first, the rest after them by title.
        connection.execute(
            "INSERT INTO ai_tema_activity (id_session_fk, title_item, item_session) VALUES (%s, 'Bienvenida', 1)",
            (SESSIONS[0],),
        )
        connection.execute("INSERT INTO bond (id_courses_fk, content) VALUES (%s, 'Plantillas contables')", (COURSE,))


def test_rows_with_only_the_guides_columns_are_accepted_and_read(engine, school_database):
    _write_guide_columns_only(school_database)
    client = connect(engine, school_database)
    try:
        postgres = PostgresCourseRepository(client)
        engine.run(postgres.prepare())
        course = engine.run(postgres.get_course_complete_info(str(COURSE)))
        found = engine.run(postgres.search_courses_by_text("python para contadores", 3))
        listed = engine.run(postgres.get_all_courses(None, 10))
        online = engine.run(postgres.get_all_courses(CourseFilters(modality=Modality.ONLINE), 10))
        beginners = engine.run(postgres.get_all_courses(CourseFilters(level=Level.PRINCIPIANTE), 10))
        statistics = engine.run(postgres.get_course_statistics())
    finally:
        engine.run(client.close())

    assert course is not None and course.name == "Python para Contadores"
    assert course.modality is None and course.level == "principiante" and course.price_label == "$149 USD"
    assert [s.title for s in course.sessions] == ["Primeros pasos", "Conciliaciones"]
    first = course.sessions[0].activities
    assert [a.title for a in first] == ["Bienvenida", "Instalación", "Variables"]
    assert all(a.item_type is None for a in first)
    assert [(b.content, b.bonus_type) for b in course.bonuses] == [("Plantillas contables", None)]
    assert [c.id for c in found][:1] == [str(COURSE)]
    assert [c.id for c in listed] == [str(COURSE)] == [c.id for c in beginners]
    assert online == [], "an unknown modality matches no modality filter"
    assert statistics.total_courses == 1 and statistics.by_modality == {} and statistics.total_sessions == 2

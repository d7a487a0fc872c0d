"""Courses from the school's tables: parity with the JSON catalogue, foreign data, unseen catalogues."""

from __future__ import annotations

import uuid
from decimal import Decimal

import psycopg
import pytest

from app.domain.courses import Course, CourseFilters, CourseSession, Level, Modality
from app.infrastructure.json_store.course_repository import JsonCourseRepository
from app.infrastructure.postgres.catalog_loader import load_catalog_into
from app.infrastructure.postgres.course_repository import PostgresCourseRepository
from app.infrastructure.postgres.sync_client import SyncDatabase
from tests.integration.conftest import GUIDE_ONLY_SCHEMA, SCHOOL_SCHEMA, connect, execute_script, migrate

# Plain requests, typos, accents and filler, as students write them on WhatsApp.
PARITY_QUERIES = [
    "maquin lerning", "automatizar reportes de excel", "pyton desde cero", "chatbot para whatsapp",
    "ia para contadores", "qué cursos de python tienen?", "progamacion en pyhton",
    "automatisacion de reportes en exel", "Quiero aprender INTELIGENCIA ARTIFICAL", "intelijencia artifisial",
    "curso de chat gpt", "me interesa el marketing con ia", "analisis de datos con power bi", "ciensia de datos",
    "deep lerning", "bot de wasap para mi negocio", "soy docente", "ia para rrhh",
    "automatizaciones sin codigo con zapier", "consultas sql", "vision artificial", "llms y rag",
    "mlops en la nube", "ciberseguirdad", "soy abogado", "soy medico", "quiero ser mas productivo",
    "tecnicas para vender mas", "contenido para redes sociales", "finansas", "tengo una pyme", "hojas de calculo",
    "python", "ia", "automatizar", "datos", "excel", "curso de n8n", "power bi", "chatgpt para mi trabajo",
]  # fmt: skip
RECOMMENDATION_CASES = [
    ([], None), ([], "avanzado"), (["python"], "principiante"), (["automatización", "excel"], "intermedio"),
    (["marketing"], None), (["machine learning"], "avanzado"), (["cocina"], None),
    (["inteligencia artificial"], "avanzado"), (["ventas", "chatbots"], "principiante"), (["finanzas"], "Básico"),
]  # fmt: skip


@pytest.fixture
def repositories(engine, catalog_client):
    postgres = PostgresCourseRepository(catalog_client)
    engine.run(postgres.prepare())
    return postgres, JsonCourseRepository()


def test_same_first_course_as_the_json_catalogue_for_every_query(engine, repositories):
    postgres, json_store = repositories
    different = {}
    for query in PARITY_QUERIES:
        from_json = [c.id for c in engine.run(json_store.search_courses_by_text(query, 3))]
        from_postgres = [c.id for c in engine.run(postgres.search_courses_by_text(query, 3))]
        assert from_json, f"the JSON ranking found nothing for {query!r}"
        if from_postgres[:1] != from_json[:1]:
            different[query] = (from_json, from_postgres)
    assert different == {}


def test_same_recommendations_as_the_json_catalogue(engine, repositories):
    postgres, json_store = repositories
    for interests, level in RECOMMENDATION_CASES:
        expected = [c.id for c in engine.run(json_store.get_recommended_courses(interests, level, 3))]
        found = [c.id for c in engine.run(postgres.get_recommended_courses(interests, level, 3))]
        assert found == expected, (interests, level)


def test_nothing_found_for_chatter(engine, repositories):
    postgres, _ = repositories
    for text in ("hola", "gracias!!", "quiero pedir una pizza", "", "😀"):
        assert engine.run(postgres.search_courses_by_text(text, 5)) == []


def test_every_course_reads_back_exactly_as_loaded(engine, repositories, bundled_courses):
    postgres, _ = repositories
    for course in bundled_courses:
        assert engine.run(postgres.get_course_complete_info(course.id)) == course


def test_complete_info_is_one_statement(engine, catalog_client, bundled_courses):
    statements = []
    original = catalog_client.fetchrow

    async def counting(query, *args, **kwargs):
        statements.append(query)
        return await original(query, *args, **kwargs)

    catalog_client.fetchrow = counting
    postgres = PostgresCourseRepository(catalog_client)
    engine.run(postgres.prepare())
    statements.clear()  # preparing refreshes the search documents
    course = engine.run(postgres.get_course_complete_info(bundled_courses[0].id))
    assert course is not None and course.sessions and course.bonuses and course.sessions[0].activities
    assert len(statements) == 1
    assert engine.run(postgres.get_course_complete_info("not-a-uuid")) is None


def test_listing_filters_and_statistics_match_the_json_catalogue(engine, repositories):
    postgres, json_store = repositories
    for filters in (
        None,
        CourseFilters(level=Level.INTERMEDIO),
        CourseFilters(modality=Modality.HIBRIDO),
        CourseFilters(max_price=Decimal("200")),
        CourseFilters(category="inteligencia artificial", level=Level.AVANZADO),
    ):
        expected = [c.id for c in engine.run(json_store.get_all_courses(filters, 50))]
        assert [c.id for c in engine.run(postgres.get_all_courses(filters, 50))] == expected, filters
    assert engine.run(postgres.get_course_statistics()) == engine.run(json_store.get_course_statistics())


def test_a_course_written_by_sql_is_found_once_its_search_document_is_refreshed(engine, repositories, catalog_database):
    postgres, _ = repositories
    assert engine.run(postgres.search_courses_by_text("fotografia", 3)) == []
    with psycopg.connect(catalog_database, autocommit=True) as connection:
        connection.execute(
            "INSERT INTO ai_courses (name, short_description, price, currency, level, modality) "
            "VALUES ('Fotografía con Inteligencia Artificial', 'Edita y crea fotos con IA', '159', 'USD', "
            "'principiante', 'online')"
        )
    # What the timer does (SEARCH_REFRESH_TTL): one statement, only the changed course written.
    assert engine.run(postgres.refresh_search_documents()) == 1
    assert engine.run(postgres.refresh_search_documents()) == 0
    found = engine.run(postgres.search_courses_by_text("fotografia", 3))
    assert found[0].name == "Fotografía con Inteligencia Artificial" and found[0].price == "159"
    with psycopg.connect(catalog_database, autocommit=True) as connection:
        connection.execute("UPDATE ai_courses SET price = '139' WHERE name LIKE 'Fotograf%'")
    assert engine.run(postgres.refresh_search_documents()) == 1  # a new price is a new digest: read again
    assert engine.run(postgres.search_courses_by_text("fotografia", 3))[0].price == "139"
    with psycopg.connect(catalog_database, autocommit=True) as connection:
        connection.execute("UPDATE ai_courses SET name = 'Retrato con IA' WHERE name LIKE 'Fotograf%'")
    engine.run(postgres.refresh_search_documents())
    assert [c.name for c in engine.run(postgres.search_courses_by_text("retrato", 3))] == ["Retrato con IA"]
    with psycopg.connect(catalog_database, autocommit=True) as connection:
        connection.execute("DELETE FROM ai_courses WHERE name = 'Retrato con IA'")
    assert engine.run(postgres.refresh_search_documents()) == 1
    assert engine.run(postgres.search_courses_by_text("retrato", 3)) == []


def test_search_reads_the_stored_indexed_documents(catalog_database, engine, repositories):
    postgres, _ = repositories
    with psycopg.connect(catalog_database, autocommit=True) as connection:
        connection.execute("SET enable_seqscan = off")
        connection.execute(f"PREPARE candidates(text, int) AS {postgres.sql.candidates}".encode())
        rows = connection.execute("EXPLAIN EXECUTE candidates('python:* | excel', 30)").fetchall()
    plan = "\n".join(row[0] for row in rows)
    for index in ("head", "body"):
        assert f"idx_course_search_documents_{index}" in plan
    assert "to_tsvector" not in plan  # nothing is computed from the course text per row


def test_load_catalog_is_idempotent(catalog_database, bundled_courses):
    with SyncDatabase(catalog_database) as database:
        database.open()
        again = load_catalog_into(database, bundled_courses)
        with database.connection() as connection:
            counts = [connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("ai_courses", "bond")]
    assert (again.courses_inserted, again.courses_updated, again.courses_unchanged) == (0, 0, len(bundled_courses))
    assert counts == [len(bundled_courses), sum(len(c.bonuses) for c in bundled_courses)]


def test_load_catalog_never_takes_over_another_courses_rows(school_database):
    other_course, session_id = uuid.uuid4(), uuid.uuid4()
    with psycopg.connect(school_database, autocommit=True) as connection:
        connection.execute(
            "INSERT INTO ai_courses (id_course, name, modality) VALUES (%s, 'Ajeno', 'online')", (other_course,)
        )
        connection.execute(
            "INSERT INTO ai_course_session (id_session, id_course_fk, title) VALUES (%s, %s, 'Sesión ajena')",
            (session_id, other_course),
        )
    mine = Course(
        id=str(uuid.uuid4()), name="Mío", sessions=(CourseSession(id=str(session_id), index=1, title="Robada"),)
    )
    with SyncDatabase(school_database) as database:
        database.open()
        report = load_catalog_into(database, [mine])
    assert report.skipped == [f"session {session_id}: the id belongs to another course"]
    with psycopg.connect(school_database) as connection:
        row = connection.execute(
            "SELECT id_course_fk, title FROM ai_course_session WHERE id_session = %s", (session_id,)
        ).fetchone()
    assert row == (other_course, "Sesión ajena")


# --- the guide's tables with other people's data ---------------------------------------------------


def _guide_only_database(database_url: str) -> dict[str, uuid.UUID]:
    execute_script(database_url, GUIDE_ONLY_SCHEMA)
    ids = {name: uuid.uuid4() for name in ("excel", "hidden", "nameless", "odd", "published")}
    sessions = [uuid.uuid4(), uuid.uuid4()]
    with psycopg.connect(database_url, autocommit=True) as connection:
        rows = [
            (ids["excel"], "Excel Avanzado para Oficinas", "Tablas dinámicas y macros", "$1.299,00", "MXN",
             "Intermedio", "Online", 3, "active"),
            (ids["hidden"], "Excel Básico (archivado)", "Curso viejo de excel", "99", "USD", "principiante",
             "online", 2, "Inactivo"),
            (ids["nameless"], None, "Sin nombre", "10", "USD", None, "online", 1, None),
            (ids["odd"], "Oratoria para Líderes", None, "Consultar", None, None, "presencial", -1, None),
            (ids["published"], "Excel Financiero", "Modelos financieros en Excel", "450", "USD", "avanzado",
             "híbrido", None, "publicado"),
        ]  # fmt: skip
        connection.cursor().executemany(
            "INSERT INTO ai_courses (id_course, name, short_description, price, currency, level, modality, "
            "session_count, status) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            rows,
        )
        connection.execute(
            "INSERT INTO ai_course_session (id_session, id_course_fk, session_index, title) VALUES "
            "(%s, %s, 1, 'Tablas dinámicas'), (%s, %s, 2, NULL)",
            (sessions[0], ids["excel"], sessions[1], ids["excel"]),
        )
        connection.execute(
            "INSERT INTO ai_tema_activity (id_course_fk, id_session_fk, item_session, item_type, title_item) "
            "VALUES (%s, %s, 1, 'video', 'Tu primera tabla dinámica')",
            (ids["excel"], sessions[0]),
        )
        connection.execute(
            "INSERT INTO bond (content, type_bond, id_courses_fk) VALUES ('Plantillas descargables', 'recursos', %s)",
            (ids["excel"],),
        )
    return ids


def _schema_fingerprint(url: str) -> list[tuple]:
    """Columns, indexes, constraints and triggers of the school's four tables."""
    with psycopg.connect(url) as connection:
        return connection.execute(
            """
            SELECT 'column', c.relname, a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE c.relname = ANY(%(tables)s) AND a.attnum > 0 AND NOT a.attisdropped
            UNION ALL SELECT 'index', tablename, indexdef FROM pg_indexes WHERE tablename = ANY(%(tables)s)
            UNION ALL SELECT 'constraint', conrelid::regclass::text, pg_get_constraintdef(oid)
                      FROM pg_constraint WHERE conrelid::regclass::text = ANY(%(tables)s)
            UNION ALL SELECT 'trigger', tgrelid::regclass::text, tgname
                      FROM pg_trigger WHERE tgrelid::regclass::text = ANY(%(tables)s)
            ORDER BY 1, 2, 3
            """,
            {"tables": ["ai_courses", "ai_course_session", "ai_tema_activity", "bond"]},
        ).fetchall()


def test_guide_only_tables_with_foreign_data_are_read_as_they_are(engine, database_url):
    ids = _guide_only_database(database_url)
    before = _schema_fingerprint(database_url)
    migrate(database_url)
    client = connect(engine, database_url)
    try:
        postgres = PostgresCourseRepository(client)
        engine.run(postgres.prepare())
        names = [c.name for c in engine.run(postgres.search_courses_by_text("cursos de excel", 5))]
        excel = engine.run(postgres.get_course_complete_info(str(ids["excel"])))
        odd = engine.run(postgres.get_course_complete_info(str(ids["odd"])))
        hidden = engine.run(postgres.get_course_complete_info(str(ids["hidden"])))
        statistics = engine.run(postgres.get_course_statistics())
        listed = engine.run(postgres.get_all_courses(None, 50))
    finally:
        engine.run(client.close())

    assert set(names) == {"Excel Avanzado para Oficinas", "Excel Financiero"}  # Inactivo hides the third
    assert hidden is None
    assert excel is not None and excel.price_label == "$1,299 MXN" and excel.session_count == 3
    assert [s.title for s in excel.sessions] == ["Tablas dinámicas", "Sesión 2"]
    assert excel.sessions[0].activities[0].title == "Tu primera tabla dinámica"
    assert [b.content for b in excel.bonuses] == ["Plantillas descargables"]
    assert odd is not None and odd.session_count is None and odd.price_amount is None and odd.level is None
    assert statistics.total_courses == 3 and statistics.by_level == {"avanzado": 1, "intermedio": 1}
    assert sorted(c.name for c in listed) == [
        "Excel Avanzado para Oficinas", "Excel Financiero", "Oratoria para Líderes"
    ]  # fmt: skip
    assert _schema_fingerprint(database_url) == before  # nothing of theirs was altered


# --- a catalogue the ranking has never seen, with only the guide's columns ---------------------------

UNSEEN = [
    ("Fotografía Digital con Inteligencia Artificial", "Edita, retoca y mejora tus fotos con herramientas de IA.",
     ["Tu cámara y la luz", "Retoque automático", "Generar imágenes"]),
    ("Inglés Técnico para Programadores", "Lee documentación y prepárate para entrevistas de trabajo en inglés.",
     ["Vocabulario técnico", "Entrevistas en inglés"]),
    ("Kubernetes y Contenedores en Producción", "Despliega aplicaciones con Docker y Kubernetes.",
     ["Contenedores", "Clústeres", "Despliegues"]),
    ("Finanzas Personales", "Arma tu presupuesto, ahorra cada mes y empieza a invertir.",
     ["Presupuesto", "Ahorro", "Inversión"]),
    ("Diseño de Interfaces con Figma", "Prototipos y diseño UX/UI para aplicaciones y sitios web.",
     ["Wireframes", "Prototipos interactivos"]),
    ("Desarrollo de Videojuegos con Unity", "Crea juegos 2D y 3D programando en C#.",
     ["Tu primer juego", "Física y colisiones"]),
    ("Podcasting y Edición de Audio", "Graba, edita y publica tu podcast con ayuda de la IA.",
     ["Grabación", "Edición de audio", "Publicación"]),
    ("Robótica Educativa con Arduino", "Sensores, motores y proyectos para llevar al aula.",
     ["Sensores", "Motores"]),
    ("Blockchain y Contratos Inteligentes", "Programa contratos inteligentes en Ethereum con Solidity.",
     ["Ethereum", "Solidity"]),
    ("Gestión de Proyectos Ágiles", "Scrum y Kanban para equipos que entregan a tiempo.",
     ["Scrum", "Kanban", "Retrospectivas"]),
    ("Redacción Académica con IA", "Escribe tu tesis, ensayos y artículos con ayuda de la IA.",
     ["Estructura de una tesis", "Citas y referencias"]),
    ("Marketing en TikTok para Restaurantes", "Atrae clientes a tu restaurante con videos cortos.",
     ["Videos que venden", "Anuncios locales"]),
    ("Análisis de Encuestas con R", "Limpia, analiza y grafica encuestas usando el lenguaje R.",
     ["Limpieza de datos", "Gráficos"]),
    ("Traducción Automática de Documentos", "Traduce y localiza documentos con herramientas automáticas.",
     ["Motores de traducción", "Revisión"]),
]  # fmt: skip
UNSEEN_QUERIES = {
    "quiero aprender a editar fotos con inteligencia artificial": 0,
    "fotografia": 0,
    "necesito mejorar mi ingles para entrevistas": 1,
    "como desplegar contenedores con kubernetes": 2,
    "kubernetis": 2,
    "quiero organizar mi presupuesto y ahorrar": 3,
    "diseño de interfaces en figma": 4,
    "quiero crear videojuegos": 5,
    "tengo un podcast y quiero editar el audio": 6,
    "robotica con arduino para mis alumnos": 7,
    "contratos inteligentes en ethereum": 8,
    "gestion de proyectos con scrum": 9,
    "quiero escribir mi tesis": 10,
    "marketing en tiktok para mi restaurante": 11,
    "analizar encuestas": 12,
    "traducir documentos": 13,
}


def _unseen_catalog() -> list[Course]:
    courses = []
    for name, short, sessions in UNSEEN:
        course_id = uuid.uuid5(uuid.NAMESPACE_URL, name)
        courses.append(
            Course(
                id=str(course_id), name=name, short_description=short, long_description=f"{short} Curso práctico.",
                session_count=len(sessions), price="199", currency="USD", level="principiante", modality="online",
                sessions=tuple(
                    CourseSession(id=str(uuid.uuid5(course_id, t)), index=i, title=t)
                    for i, t in enumerate(sessions, start=1)
                ),
            )
        )  # fmt: skip
    return courses


def test_an_unseen_catalogue_with_only_the_guides_columns_gives_the_right_course_first(engine, database_url):
    execute_script(database_url, SCHOOL_SCHEMA.read_text(encoding="utf-8"))
    migrate(database_url)
    catalog = _unseen_catalog()
    with SyncDatabase(database_url) as database:
        database.open()
        load_catalog_into(database, catalog)
        with database.connection() as connection:
            assert connection.execute("SELECT count(*) FROM course_metadata WHERE search_text <> ''").fetchone() == (0,)
    client = connect(engine, database_url)
    try:
        postgres = PostgresCourseRepository(client)
        engine.run(postgres.prepare())
        wrong = {}
        for query, expected in UNSEEN_QUERIES.items():
            found = engine.run(postgres.search_courses_by_text(query, 3))
            if not found or found[0].name != catalog[expected].name:
                wrong[query] = [c.name for c in found]
    finally:
        engine.run(client.close())
    assert wrong == {}

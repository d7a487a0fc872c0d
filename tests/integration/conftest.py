"""Fixtures for the PostgreSQL tests: schemas, a loaded catalogue, an engine loop, clients."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from app.bootstrap.worker import WorkerRuntime, build_intake, build_worker
from app.config import Settings
from app.domain.courses import Course
from app.infrastructure.event_loop import EventLoopThread
from app.infrastructure.json_store.course_repository import bundled_catalog_path, load_catalog
from app.infrastructure.postgres.catalog_loader import load_catalog_into
from app.infrastructure.postgres.client import PostgresClient
from app.infrastructure.postgres.migrator import apply_migrations
from app.infrastructure.postgres.sync_client import SyncDatabase
from app.infrastructure.queue.intake import MessageIntake

ROOT = Path(__file__).resolve().parents[2]
SCHOOL_SCHEMA = ROOT / "estructura_db.sql"

# The four tables exactly as the integration guide's estructura_db.sql has them: the guide's
# columns only, none of this project's indexes, in an order that can run.
GUIDE_ONLY_SCHEMA = """
CREATE TABLE public.ai_courses (
  id_course uuid NOT NULL DEFAULT gen_random_uuid(),
  Name character varying,
  Short_description character varying,
  Long_descrption character varying,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  session_count smallint,
  total_duration_min bigint,
  Price character varying,
  Currency character varying,
  course_url character varying,
  Purchase_url character varying,
  level character varying,
  language character varying,
  audience_category character varying,
  status character varying,
  start_date timestamp without time zone,
  end_date timestamp without time zone,
  roi character varying,
  modality character varying NOT NULL,
  CONSTRAINT ai_courses_pkey PRIMARY KEY (id_course)
);
CREATE TABLE public.ai_course_session (
  id_session uuid NOT NULL DEFAULT gen_random_uuid(),
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  session_index smallint,
  title character varying,
  objective character varying,
  duration_minutes bigint,
  scheduled_at timestamp without time zone,
  id_course_fk uuid,
  CONSTRAINT ai_course_session_pkey PRIMARY KEY (id_session),
  CONSTRAINT ai_course_session_id_course_fk_fkey FOREIGN KEY (id_course_fk) REFERENCES public.ai_courses(id_course)
);
CREATE TABLE public.ai_tema_activity (
  id_activity uuid NOT NULL DEFAULT gen_random_uuid(),
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  id_course_fk uuid NOT NULL DEFAULT gen_random_uuid(),
  id_session_fk uuid NOT NULL DEFAULT gen_random_uuid(),
  item_session integer NOT NULL,
  item_type text NOT NULL,
  title_item character varying NOT NULL,
  CONSTRAINT ai_tema_activity_pkey PRIMARY KEY (id_activity),
  CONSTRAINT ai_tema_activity_id_session_fk_fkey FOREIGN KEY (id_session_fk)
    REFERENCES public.ai_course_session(id_session),
  CONSTRAINT ai_tema_activity_id_course_fk_fkey FOREIGN KEY (id_course_fk) REFERENCES public.ai_courses(id_course)
);
CREATE TABLE public.bond (
  id_bond bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  content text NOT NULL,
  type_bond character varying NOT NULL,
  id_courses_fk uuid,
  CONSTRAINT bond_pkey PRIMARY KEY (id_bond),
  CONSTRAINT Bond_id_courses_fk_fkey FOREIGN KEY (id_courses_fk) REFERENCES public.ai_courses(id_course)
);
"""


def execute_script(url: str, script: str) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(script.encode())


def migrate(url: str) -> None:
    with SyncDatabase(url) as database:
        database.open()
        apply_migrations(database)


def sent_parts(url: str, user_id: str, *sids: str) -> None:
    """Reply parts the worker sent to `user_id`, with Twilio's SIDs, as it records them."""
    with psycopg.connect(url, autocommit=True) as connection:
        turn = connection.execute(
            "INSERT INTO reply_turns (user_id, reply) VALUES (%s, '{}') RETURNING id", (user_id,)
        ).fetchone()
        for idx, sid in enumerate(sids):
            connection.execute(
                "INSERT INTO reply_parts (turn_id, idx, user_id, body, state, provider_sid) "
                "VALUES (%s, %s, %s, 'hola', 'sent', %s)",
                (turn[0], idx, user_id, sid),
            )


@pytest.fixture
def school_database(database_url: str) -> str:
    """A database with the course tables of estructura_db.sql and the bot's migrations."""
    execute_script(database_url, SCHOOL_SCHEMA.read_text(encoding="utf-8"))
    migrate(database_url)
    return database_url


@pytest.fixture(scope="session")
def bundled_courses() -> list[Course]:
    return list(load_catalog(bundled_catalog_path()))


@pytest.fixture
def catalog_database(school_database: str, bundled_courses: list[Course]) -> str:
    """school_database with the bundled catalogue loaded through `db load-catalog`'s code."""
    with SyncDatabase(school_database) as database:
        database.open()
        load_catalog_into(database, bundled_courses)
    return school_database


@pytest.fixture
def engine() -> Iterator[EventLoopThread]:
    """The engine's long-lived loop, as the application runs it."""
    loop = EventLoopThread("test-engine")
    loop.start()
    yield loop
    loop.stop()


def connect(engine: EventLoopThread, url: str) -> PostgresClient:
    client = PostgresClient(url)
    engine.run(client.connect())
    return client


@pytest.fixture
def catalog_client(engine: EventLoopThread, catalog_database: str) -> Iterator[PostgresClient]:
    client = connect(engine, catalog_database)
    yield client
    engine.run(client.close())


@pytest.fixture
def school_client(engine: EventLoopThread, school_database: str) -> Iterator[PostgresClient]:
    client = connect(engine, school_database)
    yield client
    engine.run(client.close())


# REST delivery: the webhook's intake and the queue worker on the test's database -------------


@pytest.fixture
def rest_settings(make_settings, database_url: str, twilio_fake) -> Settings:  # type: ignore[no-untyped-def]
    """REST delivery against the fake Twilio: no burst window, a quick take-over of dead workers."""
    from tests.twilio_fake import ACCOUNT_SID, AUTH_TOKEN, SENDER

    migrate(database_url)
    return make_settings(
        database_url=database_url,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_phone_number=SENDER,
        twilio_api_base_url=twilio_fake.base_url,
        reply_delivery="rest",
        burst_window_seconds=0.0,
        worker_concurrency=4,
        worker_stalled_seconds=3.0,  # the recovery (and its catch-up) runs every second
    )


@pytest.fixture
def intake(rest_settings: Settings) -> Iterator[MessageIntake]:
    intake = build_intake(rest_settings, threads=2)
    yield intake
    intake.close()


@pytest.fixture
def worker(rest_settings: Settings) -> Iterator[WorkerRuntime]:
    """The worker, built but not started: a test starts it when its messages are in."""
    runtime = build_worker(rest_settings)
    yield runtime
    runtime.close()

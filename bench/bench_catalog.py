"""Benchmark: what the catalogue snapshot costs a database-mode process, before and after.

    .venv/bin/python bench/bench_catalog.py                         # embedded server, 10/200/2,000 courses
    .venv/bin/python bench/bench_catalog.py --courses 10 200 2000 --baseline eac3b52
    .venv/bin/python bench/bench_catalog.py --database-url URL      # an existing server

For each catalogue size it creates a database (`catalog_bench_<n>`) with the school's tables
(estructura_db.sql) and the bot's migrations, loads a generated catalogue through
`db load-catalog`'s code (12 sessions of 3 activities per course, descriptions of a few
hundred words: about 5 KB of JSON per course), and then runs, in fresh processes, the
storage exactly as the bot builds it (DatabaseStorage on its engine loop):

- before: the code at --baseline (`git archive` of app/ into a temporary directory);
- after: this tree.

Each runs twice on the same data directory: a first start (no snapshot on disk) and a restart
(the first run's snapshot there). A run connects, then times the refresh made after
connecting and one periodic refresh (the catalogue unchanged), each as the process's CPU time
and the bytes it wrote (/proc/self/io wchar), and reports the process's RSS after them.
The fingerprint query's own time on the server is printed too (median of 5).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid
from io import BytesIO
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.domain.courses import Course, CourseActivity, CourseBonus, CourseSession  # noqa: E402
from app.domain.topics import TOPIC_SYNONYMS  # noqa: E402
from app.infrastructure.postgres.catalog_schema import CatalogSchema  # noqa: E402
from app.infrastructure.postgres.catalog_version import catalog_version_sql  # noqa: E402
from bench.bench_storage import server_url  # noqa: E402
from bench.course_databases import course_database  # noqa: E402

DEFAULT_BASELINE = "eac3b52"  # the last commit that copied the whole catalogue every time
SIZES = (10, 200, 2_000)
TABLES = ("ai_courses", "ai_course_session", "ai_tema_activity", "bond", "course_metadata")

# Run in a fresh process, with the tree under test first on sys.path (its cwd).
CHILD = """
import asyncio, json, sys, time
from pathlib import Path
from app.infrastructure.event_loop import EventLoopThread
from app.infrastructure.storage import DatabaseStorage, StorageOptions

def status(field):
    text = Path("/proc/self/status").read_text()
    return int(next(l.split()[1] for l in text.splitlines() if l.startswith(field + ":")))

def written():
    text = Path("/proc/self/io").read_text()
    return int(next(l.split()[1] for l in text.splitlines() if l.startswith("wchar:")))

url, data_dir = sys.argv[1], Path(sys.argv[2])
loop = EventLoopThread()
loop.start()
storage = DatabaseStorage(StorageOptions(database_url=url, data_dir=data_dir, snapshot_every_seconds=None))
assert loop.run(storage.start(), timeout=60)
while storage._background:  # the snapshot file of an earlier run, read in the background
    time.sleep(0.05)
figures = {"rss_connected_kb": status("VmRSS")}
for step in ("at_connect", "periodic"):
    cpu, wrote = time.process_time(), written()
    courses = loop.run(storage.courses.refresh_snapshot(), timeout=300)
    figures[step + "_cpu_s"] = time.process_time() - cpu
    figures[step + "_written_bytes"] = written() - wrote
    figures["courses"] = courses
figures["rss_kb"], figures["peak_kb"] = status("VmRSS"), status("VmHWM")
loop.run(storage.close(), timeout=30)
loop.stop()
print("RESULT " + json.dumps(figures))
"""


def make_catalog(count: int, rng: random.Random) -> list[Course]:
    subjects = sorted(TOPIC_SYNONYMS)
    courses = []
    for number in range(count):
        subject = subjects[number % len(subjects)]
        words = list(TOPIC_SYNONYMS[subject]) or [subject]
        sessions = tuple(
            CourseSession(
                id=str(uuid.UUID(int=rng.getrandbits(128), version=4)), index=index,
                title=f"{subject.capitalize()}: módulo {index}, {rng.choice(words)} aplicado",
                objective=f"Al terminar, el estudiante aplica {rng.choice(words)} a un caso real de su trabajo "
                f"y documenta el resultado con una plantilla reutilizable.",
                duration_minutes=rng.choice([60, 90, 120]),
                activities=tuple(
                    CourseActivity(id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                                   item_type=kind, title=f"{kind.capitalize()} {index}.{position}: {rng.choice(words)}")
                    for position, kind in enumerate(("lectura", "práctica", "quiz"), start=1)
                ),
            )
            for index in range(1, 13)
        )  # fmt: skip
        description = " ".join(
            f"En esta parte se trabaja {rng.choice(words)} con ejemplos de {rng.choice(words)} y ejercicios guiados."
            for _ in range(20)
        )
        courses.append(
            Course(
                id=str(uuid.UUID(int=rng.getrandbits(128), version=4)), name=f"{subject.capitalize()} {number}",
                short_description=f"Aprende {subject} paso a paso.", long_description=description,
                session_count=len(sessions), price=str(rng.choice([99, 199, 349])), currency="USD",
                level=rng.choice(["principiante", "intermedio", "avanzado"]), modality="online",
                category=subject, tags=tuple(words[:4]), sessions=sessions,
                bonuses=(CourseBonus(id=number + 1, content="Certificado digital", bonus_type="certificado"),),
            )
        )  # fmt: skip
    return courses


def prepared_database(admin_url: str, count: int) -> str:
    schema = (ROOT / "estructura_db.sql").read_bytes()
    return course_database(admin_url, f"catalog_bench_{count}", schema, make_catalog(count, random.Random(count)))


def fingerprint_ms(url: str) -> float:
    schema = CatalogSchema(tables={table: {} for table in TABLES})
    timings = []
    with psycopg.connect(url) as connection:
        for _ in range(5):
            started = time.perf_counter()
            connection.execute(catalog_version_sql(schema).encode()).fetchone()
            timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def baseline_tree(revision: str, directory: Path) -> Path:
    archive = subprocess.run(["git", "archive", revision, "app"], cwd=ROOT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(directory, filter="data")
    return directory


def run_child(tree: Path, url: str, data_dir: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, url, str(data_dir)], cwd=tree, capture_output=True, text=True, check=False
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line is not None, result.stderr[-2000:]
    figures: dict[str, float] = json.loads(line.removeprefix("RESULT "))
    return figures


def print_table(
    results: dict[tuple[int, str, str], dict[str, float]], sizes: list[int], fingerprints: dict[int, float]
) -> None:
    print(
        "| courses | code | start | RSS after refreshes | refresh at connect: CPU, written | periodic: CPU, written |"
    )
    print("|---|---|---|---|---|---|")
    for count in sizes:
        for code in ("before", "after"):
            for start in ("first start", "restart"):
                f = results[(count, code, start)]
                print(
                    f"| {count:,} | {code} | {start} | {f['rss_kb'] / 1024:.0f} MB | "
                    f"{f['at_connect_cpu_s']:.3f} s, {f['at_connect_written_bytes'] / 1e6:.2f} MB | "
                    f"{f['periodic_cpu_s']:.3f} s, {f['periodic_written_bytes'] / 1e6:.2f} MB |"
                )
    print("\nfingerprint query on the server (median of 5): " + ", ".join(
        f"{count:,} courses {fingerprints[count]:.1f} ms" for count in sizes))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--baseline", default=DEFAULT_BASELINE)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    admin_url, stop = server_url(args)
    results: dict[tuple[int, str, str], dict[str, float]] = {}
    fingerprints: dict[int, float] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="catalog-bench-code-") as work:
            trees = {"before": baseline_tree(args.baseline, Path(work) / "before"), "after": ROOT}
            for count in args.courses:
                url = prepared_database(admin_url, count)
                fingerprints[count] = fingerprint_ms(url)
                for code, tree in trees.items():
                    data_dir = Path(work) / f"data-{code}-{count}"
                    for start in ("first start", "restart"):
                        results[(count, code, start)] = run_child(tree, url, data_dir)
                        print(f"{count} courses, {code}, {start}: {results[(count, code, start)]}", file=sys.stderr)
    finally:
        stop()
    print_table(results, args.courses, fingerprints)


if __name__ == "__main__":
    main()

"""Benchmark: what the database memory store's outage cache costs a process after N users.

    .venv/bin/python bench/bench_memory_cache.py
    .venv/bin/python bench/bench_memory_cache.py --users 4000 --baseline eac3b52

Each column is a fresh process that builds N users' memories as a long conversation leaves
them (40 messages, the history cap: short student messages, replies with course details),
hands each to the store's cache exactly as a turn does (`_remember` after the load and after
the save), drops its own reference, and reports how much its RSS grew:

- none: the memories are built and dropped, nothing keeps them (the floor);
- before: the store as it was at --baseline (live objects, up to 5,000 users), read from git;
- after: today's store with its default budget (JSON bytes, MEMORY_CACHE_MB=16).

With --postgres (an embedded server, or --database-url), a second table: the same users
through the whole database store as a process builds it (DatabaseStorage on its engine loop,
lock + load + save per user, each turn its own task), with the code at --baseline
(`git archive` of app/) and with this tree, each on a fresh database, reporting the
process's RSS after connecting and after the N users.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib.util
import os
import subprocess
import sys
import tarfile
import tempfile
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
# The code under test: this tree, or (--postgres, "before") an archive of the baseline's app/.
sys.path.insert(0, str(ROOT))
sys.path.insert(0, os.environ.get("BENCH_APP_TREE", str(ROOT)))

from app.domain.intents import Intent  # noqa: E402
from app.domain.memory import HistoryEntry, UserMemory  # noqa: E402
from app.infrastructure.postgres.memory_repository import LoadedVersion  # noqa: E402

STORE = "app/infrastructure/resilient/memory.py"
DEFAULT_BASELINE = "eac3b52"  # the last commit with the entry-counted cache
START = datetime(2026, 11, 1, tzinfo=UTC)
REPLY = (
    "Te recomiendo *Automatización de Reportes de Excel con Python e IA* (intermedio, online): "
    "12 sesiones de 2 horas, desde pandas y openpyxl hasta informes que se envían solos. "
    "Precio: 350 USD, con certificado. Empieza el 15 de enero. ¿Quieres que te cuente el temario "
    "sesión por sesión, o prefieres ver otras opciones más cortas? "
)


def conversation(index: int) -> UserMemory:
    history = []
    for turn in range(20):
        at = START + timedelta(minutes=turn)
        history.append(
            HistoryEntry(
                role="user",
                text=f"hola, me interesa python para excel ({index}, {turn})",
                at=at,
                intent=Intent.EXPLORATION,
            )
        )
        history.append(HistoryEntry(role="assistant", text=REPLY * 2, at=at))
    return UserMemory(
        user_id=f"whatsapp:+57{3_000_000_000 + index}", name=f"Usuario {index}", role="contadora",
        interests=["python", "excel", "automatización"], pain_points=["reportes manuales"],
        interaction_count=20, message_history=history, intent_counts={Intent.EXPLORATION.value: 20},
    )  # fmt: skip


def rss_kb() -> int:
    status = Path("/proc/self/status").read_text(encoding="ascii")
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))


def run_child(kind: str, users: int, baseline_file: str) -> None:
    store = None
    if kind == "before":
        spec = importlib.util.spec_from_file_location("memory_store_baseline", baseline_file)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        store = module.ResilientMemoryRepository(None, None, None)
    elif kind == "after":
        from app.infrastructure.resilient.memory import ResilientMemoryRepository

        store = ResilientMemoryRepository(None, None, None)  # type: ignore[arg-type]
    json_bytes = len(conversation(0).model_dump_json())
    gc.collect()
    start = rss_kb()
    for index in range(users):
        memory = conversation(index)
        if store is not None:
            store._remember(memory.user_id, LoadedVersion(index + 1, memory))  # the load
            store._remember(memory.user_id, LoadedVersion(index + 2, memory))  # the save
        del memory
    gc.collect()
    kept = len(store._cache) if store is not None else 0
    print(f"RESULT {rss_kb() - start} {json_bytes} {kept}")


def run_postgres_child(url: str, users: int, data_dir: str) -> None:
    from app.infrastructure.event_loop import EventLoopThread
    from app.infrastructure.storage import DatabaseStorage, StorageOptions

    loop = EventLoopThread()
    loop.start()
    storage = DatabaseStorage(StorageOptions(database_url=url, data_dir=Path(data_dir), snapshot_every_seconds=None))
    assert loop.run(storage.start(), timeout=120)
    store = storage.memory

    async def turn(index: int) -> None:
        memory = conversation(index)
        async with store.user_lock(memory.user_id):
            await store.load_user_memory(memory.user_id)
            await store.save_user_memory(memory)

    async def every_user() -> None:
        for index in range(users):
            await asyncio.get_running_loop().create_task(turn(index))  # a turn is a task, as in the bot

    gc.collect()
    connected = rss_kb()
    loop.run(every_user(), timeout=3600)
    gc.collect()
    print(f"RESULT {connected} {rss_kb()}")
    loop.run(storage.close(), timeout=30)
    loop.stop()


def postgres_figures(args: argparse.Namespace, work: Path) -> dict[str, tuple[int, int]]:
    from bench.bench_storage import server_url

    admin_url, stop = server_url(args)
    archive = subprocess.run(["git", "archive", args.baseline, "app"], cwd=ROOT, capture_output=True, check=True)
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(work / "before", filter="data")
    figures = {}
    try:
        for kind, tree in (("before", work / "before"), ("after", ROOT)):
            name = f"memory_cache_bench_{kind}"
            with psycopg.connect(admin_url, autocommit=True) as connection:
                connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            url = urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
            command = [sys.executable, __file__, "--child-postgres", url, "--users", str(args.users),
                       "--data-dir", str(work / f"data-{kind}")]  # fmt: skip
            env = {**os.environ, "BENCH_APP_TREE": str(tree)}
            result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
            line = next((x for x in result.stdout.splitlines() if x.startswith("RESULT ")), None)
            assert line is not None, result.stderr[-2000:]
            connected, after = (int(x) for x in line.split()[1:])
            figures[kind] = (connected, after)
    finally:
        stop()
    return figures


def measure(kind: str, users: int, baseline_file: str) -> tuple[int, int, int]:
    command = [sys.executable, __file__, "--child", kind, "--users", str(users), "--baseline-file", baseline_file]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    line = next((x for x in result.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line is not None, result.stderr[-1000:]
    grown_kb, json_bytes, kept = (int(x) for x in line.split()[1:])
    return grown_kb, json_bytes, kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=4_000)
    parser.add_argument("--baseline", default=DEFAULT_BASELINE)
    parser.add_argument("--child", choices=("none", "before", "after"))
    parser.add_argument("--baseline-file", default="")
    parser.add_argument("--postgres", action="store_true", help="also through the database store (embedded server)")
    parser.add_argument("--database-url", help="with --postgres: an existing server instead of the embedded one")
    parser.add_argument("--child-postgres", metavar="URL")
    parser.add_argument("--data-dir", default="")
    args = parser.parse_args()
    if args.child:
        run_child(args.child, args.users, args.baseline_file)
        return
    if args.child_postgres:
        run_postgres_child(args.child_postgres, args.users, args.data_dir)
        return
    with tempfile.TemporaryDirectory() as work:
        baseline_file = Path(work) / "memory_baseline.py"
        source = subprocess.run(["git", "show", f"{args.baseline}:{STORE}"], cwd=ROOT, capture_output=True, text=True)
        baseline_file.write_text(source.stdout, encoding="utf-8")
        figures = {kind: measure(kind, args.users, str(baseline_file)) for kind in ("none", "before", "after")}
        database = postgres_figures(args, Path(work)) if args.postgres else {}
    json_bytes = figures["after"][1]
    print(f"{args.users:,} users, one memory = {json_bytes:,} bytes of JSON\n")
    print("| cache | RSS growth | users kept | per user kept |\n|---|---|---|---|")
    for kind, label in (("none", "none (floor)"), ("before", f"before ({args.baseline}: live objects, 5,000 users)"),
                        ("after", "after (JSON bytes, 16 MB budget)")):  # fmt: skip
        grown, _, kept = figures[kind]
        per_user = f"{grown * 1024 / kept / 1000:.1f} KB" if kept else "-"
        print(f"| {label} | {grown / 1024:.1f} MB | {kept:,} | {per_user} |")
    if database:
        print(f"\nThrough the database store, {args.users:,} users (lock, load, save each):\n")
        print("| code | RSS connected | RSS after the users | growth |\n|---|---|---|---|")
        for kind, (connected, after) in database.items():
            grown = (after - connected) / 1024
            print(f"| {kind} | {connected / 1024:.0f} MB | {after / 1024:.0f} MB | {grown:.0f} MB |")


if __name__ == "__main__":
    main()

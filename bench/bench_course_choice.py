"""CPU time of course choice per message, before and after the search kept its term data.

Usage (from the repository root; needs git, to read the old ranking from history):
    .venv/bin/python bench/bench_course_choice.py [--rounds 20]

Course choice is what a turn does to pick the courses of its reply over the bundled catalogue
(basic mode). The messages are the persona set's and the conversation set's, each with the
profile its persona has. Columns, all in one run on the same messages:

- before: the ranking as of BEFORE_COMMIT (documents cached by hashing whole Course models,
  every query word matched against every word of every course), with the choice of that time:
  the message's search, else the interests.
- same choice, cached: today's ranking (term data built once per catalogue version, keyed by
  course id and text) doing exactly the work of "before".
- rebuilt per message: today's ranking with its index rebuilt for every message (no cache).
- today's choice: QueryCourseInformation.recommend_for_turn, which also weighs role, interests
  and level (the message is scored alone and with the profile).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
import types
from collections.abc import Callable, Sequence
from pathlib import Path
from unittest import mock

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from app.application.process_message import apply_profile_update  # noqa: E402
from app.application.query_courses import QueryCourseInformation  # noqa: E402
from app.domain import course_search  # noqa: E402
from app.domain.courses import Course  # noqa: E402
from app.domain.memory import UserMemory  # noqa: E402
from app.domain.profile_extraction import RuleProfileExtractor  # noqa: E402
from app.infrastructure.json_store.course_repository import JsonCourseRepository  # noqa: E402

# The last commit before the search cached its term data per catalogue version.
BEFORE_COMMIT = "119ae7b"
PERSONAS = REPO_ROOT / "tests" / "data" / "personas.jsonl"
CONVERSATIONS = REPO_ROOT / "tests" / "data" / "conversations.jsonl"
LIMIT = 3

Choice = Callable[[str, UserMemory], object]


def old_ranking() -> types.ModuleType:
    """app/domain/course_search.py as it was at BEFORE_COMMIT, as a module of its own."""
    source = subprocess.run(
        ["git", "show", f"{BEFORE_COMMIT}:app/domain/course_search.py"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    module = types.ModuleType("course_search_before")
    module.__dict__["__name__"] = "course_search_before"
    sys.modules["course_search_before"] = module
    # Our own history, read from git: the exact code the figures compare against.
    exec(compile(source, "course_search_before.py", "exec"), module.__dict__)
    return module


def workload() -> list[tuple[str, UserMemory]]:
    """(message, memory after learning from it) for every persona and conversation turn."""
    extractor = RuleProfileExtractor()
    items: list[tuple[str, UserMemory]] = []
    for line in PERSONAS.read_text(encoding="utf-8").splitlines():
        persona = json.loads(line)
        memory = UserMemory(user_id=persona["id"], role=persona["role"], interests=persona["interests"])
        memory.level = persona["level"]
        items.append((persona["message"], memory))
    for line in CONVERSATIONS.read_text(encoding="utf-8").splitlines():
        memory = UserMemory(user_id=json.loads(line)["id"])
        for turn in json.loads(line)["turns"]:
            items.append((turn["text"], memory.model_copy(deep=True)))
    for text, memory in items:
        apply_profile_update(memory, extractor.extract(text))
    return items


def search_else_interests(rank: Callable[..., list[Course]], recommend: Callable[..., list[Course]]) -> Callable:
    """The course choice before recommendations weighed the person: search, else interests."""

    def choose(courses: Sequence[Course], text: str, memory: UserMemory) -> list[Course]:
        return rank(courses, text, LIMIT) or recommend(courses, memory.interests, memory.level, LIMIT)

    return choose


def cpu_ms_per_message(run: Callable[[], None], messages: int, rounds: int) -> float:
    run()  # warm caches, as a running server has them
    start = time.process_time()
    for _ in range(rounds):
        run()
    return (time.process_time() - start) * 1000 / (rounds * messages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    items = workload()
    repository = JsonCourseRepository()
    courses = tuple(repository._courses)  # the catalogue the repository ranks
    query = QueryCourseInformation(repository)
    before = old_ranking()
    old_choice = search_else_interests(before.rank_courses, before.recommend_courses)
    new_choice = search_else_interests(course_search.rank_courses, course_search.recommend_courses)

    def run_old() -> None:
        for text, memory in items:
            old_choice(courses, text, memory)

    def run_same() -> None:
        for text, memory in items:
            new_choice(courses, text, memory)

    def run_rebuilt() -> None:
        with mock.patch.object(course_search, "catalog_index", course_search.build_index):
            run_same()

    async def today() -> None:
        for text, memory in items:
            await query.recommend_for_turn(text, memory)

    def run_today() -> None:
        asyncio.run(today())

    rows = [
        ("before (old ranking, search else interests)", run_old),
        ("same choice, cached term data", run_same),
        ("same choice, index rebuilt per message", run_rebuilt),
        ("today's choice (message + role + interests + level)", run_today),
    ]
    print(f"{len(items)} messages x {args.rounds} rounds over {len(courses)} courses; CPU ms per message")
    baseline = None
    for label, run in rows:
        value = cpu_ms_per_message(run, len(items), args.rounds)
        baseline = baseline or value
        print(f"{label:<55} {value:8.3f} ms   x{baseline / value:5.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

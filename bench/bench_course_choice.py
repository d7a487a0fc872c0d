"""CPU time of course choice per message: today's choice beside the code it replaced, one run.

Usage (from the repository root; needs git, to read the earlier code from history):
    .venv/bin/python bench/bench_course_choice.py [--rounds 20]

Course choice is what a turn does to pick the courses of its reply over the bundled catalogue
(basic mode). The messages are the persona set's and the conversation set's, each with the
profile its persona has. Rows, all in one run on the same messages:

- OLDEST_COMMIT ranking: the search before it kept term data per catalogue version (documents
  cached by hashing whole Course models, every query word matched against every word of
  every course), with the choice of that time: the message's search, else the interests.
- BASELINE_COMMIT choice: message, role, interests and level, ranked by prefix stems and the
  topic lists' regular expressions over each course's fields (the code before stemming).
- today: the same choice ranked by Spanish stems and BM25F over all of a course's text.
- today, index rebuilt per message: the same with no cached documents at all.
"""

from __future__ import annotations

import argparse
import json
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
from app.domain import course_search, recommendations  # noqa: E402
from app.domain.courses import Course  # noqa: E402
from app.domain.memory import UserMemory  # noqa: E402
from app.domain.profile_extraction import RuleProfileExtractor  # noqa: E402
from app.infrastructure.json_store.course_repository import JsonCourseRepository  # noqa: E402
from bench.baseline_code import modules_at  # noqa: E402

# The last commit before the search cached its term data per catalogue version.
OLDEST_COMMIT = "119ae7b"
# The last commit before course search ranked on Spanish stems with BM25F.
BASELINE_COMMIT = "eac3b52"
PERSONAS = REPO_ROOT / "tests" / "data" / "personas.jsonl"
CONVERSATIONS = REPO_ROOT / "tests" / "data" / "conversations.jsonl"
LIMIT = 3


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
    courses = tuple(JsonCourseRepository()._courses)  # the catalogue the repository ranks
    oldest = modules_at(OLDEST_COMMIT, ["app.domain.course_search"])["app.domain.course_search"]
    old_choice = search_else_interests(oldest.rank_courses, oldest.recommend_courses)
    baseline = modules_at(BASELINE_COMMIT, ["app.domain.course_search", "app.domain.recommendations"])

    def run_oldest() -> None:
        for text, memory in items:
            old_choice(courses, text, memory)

    def choice_of(module: types.ModuleType) -> Callable[[], None]:
        students = [_student(module, text, memory) for text, memory in items]

        def run() -> None:
            for student in students:
                module.recommend_for_student(courses, student, LIMIT)

        return run

    run_today = choice_of(recommendations)

    def run_rebuilt() -> None:
        with mock.patch.object(recommendations, "catalog_index", lambda c, size=None: course_search.build_index(c)):
            run_today()

    rows = [
        (f"{OLDEST_COMMIT} ranking, search else interests", run_oldest),
        (f"{BASELINE_COMMIT} choice, before stemming (baseline)", choice_of(baseline["app.domain.recommendations"])),
        ("today: stems + BM25F over all of a course's text", run_today),
        ("today, index rebuilt per message (no cache)", run_rebuilt),
    ]
    print(f"{len(items)} messages x {args.rounds} rounds over {len(courses)} courses; CPU ms per message")
    reference = None
    for label, run in rows:
        value = cpu_ms_per_message(run, len(items), args.rounds)
        reference = reference or value
        print(f"{label:<55} {value:8.3f} ms   x{reference / value:5.1f}")
    return 0


def _student(module: types.ModuleType, text: str, memory: UserMemory) -> object:
    """`module`'s StudentProfile for this message and memory."""
    return module.StudentProfile(message=text, interests=tuple(memory.interests), role=memory.role, level=memory.level)


if __name__ == "__main__":
    sys.exit(main())

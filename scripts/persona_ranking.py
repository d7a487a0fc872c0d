"""Do recommendations fit the person? hit@1 and hit@3 on the labelled persona set.

Usage (from the repository root):
    .venv/bin/python scripts/persona_ranking.py             # both catalogues, before and after
    .venv/bin/python scripts/persona_ranking.py --misses    # and every persona whose top 3 misses
    .venv/bin/python scripts/persona_ranking.py --min-hit3 0.9

Each line of tests/data/personas.jsonl is a student: what the bot remembers from earlier
messages (role, interests, level), the message of this turn, and per catalogue the courses a
good advisor would put first (`expected`) and those they would never offer (`avoid`). The
message goes through the real profile extraction, as in a turn, then through the course
choice. hit@k: an expected course is among the first k; avoid@3: an avoided one is.

"before" is the course choice as it was: the message's plain search, else the remembered
interests and level. "after" is QueryCourseInformation.recommend_for_turn.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    # Running as a plain script puts scripts/ on the path, not the repository root.
    sys.path.insert(0, str(REPO_ROOT))

from pydantic import BaseModel, ConfigDict  # noqa: E402

from app.application.process_message import apply_profile_update  # noqa: E402
from app.application.query_courses import QueryCourseInformation  # noqa: E402
from app.domain.memory import UserMemory  # noqa: E402
from app.domain.profile_extraction import RuleProfileExtractor  # noqa: E402
from app.infrastructure.json_store.course_repository import JsonCourseRepository, bundled_catalog_path  # noqa: E402

PERSONAS = REPO_ROOT / "tests" / "data" / "personas.jsonl"
CATALOGUES: dict[str, Path] = {
    "bundled": bundled_catalog_path(),
    "guide": REPO_ROOT / "tests" / "data" / "guide_catalog.json",
}
TOP = 3


class Persona(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    role: str | None = None
    interests: tuple[str, ...] = ()
    level: str | None = None
    message: str
    expected: dict[str, tuple[str, ...]]
    avoid: dict[str, tuple[str, ...]] = {}


class Figures(BaseModel):
    personas: int
    hit1: float
    hit3: float
    avoid3: float
    misses: list[tuple[str, list[str]]]


def load_personas(path: Path = PERSONAS) -> list[Persona]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Persona.model_validate_json(line) for line in lines if line.strip()]


def _memory(persona: Persona) -> UserMemory:
    """What the bot remembers, plus what this message teaches, as a turn learns it."""
    memory = UserMemory(user_id=f"persona:{persona.id}", role=persona.role, interests=list(persona.interests))
    memory.level = persona.level
    apply_profile_update(memory, RuleProfileExtractor().extract(persona.message))
    return memory


async def ranked_after(query: QueryCourseInformation, persona: Persona) -> list[str]:
    return [c.id for c in await query.recommend_for_turn(persona.message, _memory(persona), TOP)]


async def ranked_before(query: QueryCourseInformation, persona: Persona) -> list[str]:
    memory = _memory(persona)
    hits = await query.search_courses_by_keyword(persona.message, TOP)
    chosen = hits or await query.get_recommended_courses(memory.interests, memory.level, TOP)
    return [c.id for c in chosen]


async def evaluate(catalogue: str, after: bool = True, personas: list[Persona] | None = None) -> Figures:
    query = QueryCourseInformation(JsonCourseRepository(CATALOGUES[catalogue]))
    rank = ranked_after if after else ranked_before
    personas = personas if personas is not None else load_personas()
    hit1 = hit3 = avoided = 0
    misses: list[tuple[str, list[str]]] = []
    for persona in personas:
        ranked = await rank(query, persona)
        expected = set(persona.expected[catalogue])
        hit1 += bool(ranked[:1] and ranked[0] in expected)
        found = bool(expected.intersection(ranked[:TOP]))
        hit3 += found
        avoided += bool(set(persona.avoid.get(catalogue, ())).intersection(ranked[:TOP]))
        if not found:
            misses.append((persona.id, ranked))
    total = len(personas)
    return Figures(personas=total, hit1=hit1 / total, hit3=hit3 / total, avoid3=avoided / total, misses=misses)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--misses", action="store_true", help="list the personas whose top 3 misses")
    parser.add_argument("--min-hit3", type=float, default=0.0, help="exit 1 when hit@3 after is lower")
    args = parser.parse_args()
    personas = load_personas()
    print(f"{len(personas)} personas; hit@k: an expected course in the first k; avoid@3: an avoided one in the top 3")
    print(f"{'catalogue':<10} {'':<7} {'hit@1':>7} {'hit@3':>7} {'avoid@3':>8}")
    failed = False
    for catalogue, path in CATALOGUES.items():
        names = {c["id"]: c["name"] for c in json.loads(path.read_text(encoding="utf-8"))}
        for label, after in (("before", False), ("after", True)):
            figures = asyncio.run(evaluate(catalogue, after, personas))
            print(
                f"{catalogue:<10} {label:<7} {figures.hit1:>7.1%} {figures.hit3:>7.1%} {figures.avoid3:>8.1%}"
            )
            if args.misses:
                for persona_id, ranked in figures.misses:
                    print(f"    miss {persona_id}: {[names.get(i, i) for i in ranked]}")
            failed = failed or (after and figures.hit3 < args.min_hit3)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Shared by the dialogue tests of both modes: run the set, and check every reply's facts."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from app.bootstrap.container import Container
from app.domain.grounding import check_reply
from app.infrastructure.templates.spanish import SpanishTemplates

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "eval_dialogues.py"


def eval_dialogues() -> ModuleType:
    """scripts/eval_dialogues.py as a module (scripts/ is not a package)."""
    if "eval_dialogues" not in sys.modules:
        spec = importlib.util.spec_from_file_location("eval_dialogues", SCRIPT)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["eval_dialogues"] = module
        spec.loader.exec_module(module)
    return sys.modules["eval_dialogues"]


def unbacked_facts(container: Container, report) -> list[str]:
    """Replies stating a price, date, duration, session count, modality, course or promise that
    neither the courses they show nor the school-knowledge file back."""
    repository = container.courses_repository
    shown_ids = {cid for reply in report.replies for cid in reply.course_ids}
    # With sessions and bonuses: a list of courses from the database may carry only their rows.
    complete = [container.run(repository.get_course_complete_info(cid)) for cid in sorted(shown_ids)]
    courses = {c.id: c for c in complete if c is not None}
    knowledge = container.knowledge.all_answers
    # Fixed wording of the school, not facts: the consent question mentions "promociones" (it
    # offers none) and the greeting calls the bot an "asesor virtual" (not a course modality).
    consent = SpanishTemplates().consent_question(None)  # type: ignore[arg-type]
    problems = []
    for reply in report.replies:
        shown = [courses[cid] for cid in reply.course_ids if cid in courses]
        checked = check_reply(reply.text.replace(consent, "").replace("asesor virtual", "asesor"), shown, knowledge)
        if not checked.ok:
            problems.append(f"{reply.dialogue}: {checked.summary()} in {reply.text!r}")
    return problems

"""Reading the school-knowledge file, with errors that say what to fix and where."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from app.domain.school_knowledge import SchoolKnowledge

BUNDLED_KNOWLEDGE = Path(__file__).with_name("school_knowledge.json")


class SchoolKnowledgeError(Exception):
    """The school-knowledge file cannot be used; the message names the file and each problem."""


def load_school_knowledge(path: Path | None = None) -> SchoolKnowledge:
    """The school's answers from `path` (the bundled sample when None)."""
    source = path or BUNDLED_KNOWLEDGE
    try:
        raw = source.read_text(encoding="utf-8")
    except OSError as error:
        raise SchoolKnowledgeError(f"SCHOOL_KNOWLEDGE_PATH: cannot read {source}: {error.strerror or error}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise SchoolKnowledgeError(
            f"SCHOOL_KNOWLEDGE_PATH: {source} is not valid JSON ({where}: {error.msg})"
        ) from None
    try:
        return SchoolKnowledge.model_validate(data)
    except ValidationError as error:
        raise SchoolKnowledgeError(_explain(source, error)) from None


def _explain(source: Path, error: ValidationError) -> str:
    lines = [f"SCHOOL_KNOWLEDGE_PATH: {source} is not a valid school-knowledge file:"]
    for issue in error.errors():
        where = ".".join(str(part) for part in issue["loc"]) or "file"
        lines.append(f"  {where}: {issue['msg']}")
    lines.append('  (each entry is {"topic": "<a topic above>", "answer": "<the text the bot sends>"})')
    return "\n".join(lines)

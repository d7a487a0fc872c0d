"""Operating modes: where courses and memory come from, and whether the AI answers.

The mode is decided in one place (the composition root) from configuration and health;
the AI's state is reported beside it because it changes at run time.
"""

from __future__ import annotations

from enum import StrEnum


class Mode(StrEnum):
    FULL = "full"  # PostgreSQL courses and memory, OpenAI replies
    DATABASE = "database"  # PostgreSQL courses and memory, template replies (no AI key)
    HYBRID = "hybrid"  # PostgreSQL courses, JSON memory, OpenAI or templates
    AI_ONLY = "ai_only"  # bundled JSON catalogue and JSON memory, OpenAI replies
    BASIC = "basic"  # bundled JSON catalogue and JSON memory, templates and rules only


class AIState(StrEnum):
    OFF = "off"  # not configured
    ON = "on"
    DEGRADED = "degraded"  # configured, but recent calls failed: templates answer meanwhile


def select_mode(*, courses_in_database: bool, memory_in_database: bool, ai_configured: bool) -> Mode:
    # Memory (and the reply queue) in PostgreSQL is what makes a database mode; a database
    # without the school's course tables still serves them, with the bundled catalogue's
    # courses (the courses component of /health says so).
    if memory_in_database:
        return Mode.FULL if ai_configured else Mode.DATABASE
    if courses_in_database:
        return Mode.HYBRID
    return Mode.AI_ONLY if ai_configured else Mode.BASIC

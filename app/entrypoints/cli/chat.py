"""`python -m app chat`: talk to the bot from a terminal, through the same pipeline.

With --json it reads one message per line from standard input and writes one JSON
object per message, which is how conversations are scripted and tested.
"""

from __future__ import annotations

import json
import sys
import uuid
from argparse import ArgumentParser, Namespace
from datetime import UTC, datetime
from typing import Any, TextIO

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.application.errors import StoreUnavailableError
from app.bootstrap.container import Container
from app.bootstrap.mode import build_container
from app.config import Settings
from app.domain.interactive import Tap
from app.domain.messages import InboundMessage, Reply
from app.domain.text import strip_control_characters

DEFAULT_USER = "whatsapp:+10000000000"
MAX_USER_ID = 200


class ChatLine(BaseModel):
    """A scripted line: {"user": "whatsapp:+57...", "text": "..."}."""

    model_config = ConfigDict(extra="ignore")

    user: str | None = Field(default=None, min_length=1, max_length=MAX_USER_ID)
    text: str = ""
    tap: str | None = Field(default=None, max_length=200)  # a tapped list item or button's id


class ChatOutput(BaseModel):
    user: str
    reply: str
    parts: list[str]
    intent: str
    confidence: float
    courses: list[str]
    lead_score: int
    mode: str
    duplicate: bool
    ai: str  # the AI's state after this message: off, on or degraded
    ai_used: bool  # the reply is the AI's text (checked against the catalogue)
    usage: dict[str, int]  # AI calls and tokens this message cost
    # The tappable form REST delivery would send the last part as (list-picker, quick-reply).
    interactive: dict[str, Any] | None = None


def parse_line(line: str, default_user: str) -> tuple[str, str]:
    """(user, text) of an input line: a JSON object when it is one, else plain text."""
    stripped = line.strip()
    if stripped.startswith("{"):
        try:
            parsed = ChatLine.model_validate_json(stripped)
        except ValidationError:
            return default_user, line.rstrip("\n")
        return parsed.user or default_user, parsed.text
    return default_user, line.rstrip("\n")


def line_tap(line: str) -> Tap | None:
    """The tap a JSON input line carries (`{"text": "Sí", "tap": "marketing_consent:yes"}`)."""
    stripped = line.strip()
    if not stripped.startswith("{"):
        return None
    try:
        parsed = ChatLine.model_validate_json(stripped)
    except ValidationError:
        return None
    return Tap(payload=parsed.tap, title=parsed.text) if parsed.tap else None


def send(container: Container, user: str, text: str, tap: Tap | None = None) -> Reply:
    # The same cleaning as the webhook's: a NUL pasted into the terminal must not reach a store.
    message = InboundMessage(
        message_id=f"cli-{uuid.uuid4().hex}",
        user_id=user,
        text=strip_control_characters(text),
        received_at=datetime.now(UTC),
        tap=tap,
    )
    return container.handle_message(message)


def run_json(container: Container, user: str, stdin: TextIO, stdout: TextIO) -> int:
    for line in stdin:
        line_user, text = parse_line(line, user)
        reply = send(container, line_user, text, line_tap(line))
        output = ChatOutput(
            user=line_user,
            reply=reply.text,
            parts=list(reply.parts),
            intent=reply.intent.value,
            confidence=round(reply.confidence, 3),
            courses=list(reply.course_ids),
            lead_score=reply.lead_score,
            mode=reply.mode,
            duplicate=reply.duplicate,
            ai=reply.ai_state.value,
            ai_used=reply.ai_used,
            usage=reply.ai_usage.model_dump(),
            interactive=reply.interactive.model_dump(mode="json") if reply.interactive else None,
        )
        stdout.write(json.dumps(output.model_dump(), ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def run_interactive(container: Container, user: str) -> int:
    health = container.health()
    print(f"Asesor de cursos ({health.mode.value}, IA: {health.ai.value}). Escribe 'salir' para terminar.\n")
    while True:
        try:
            text = input("Tú: ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if text.strip().lower() in {"salir", "exit", "quit"}:
            return 0
        try:
            reply = send(container, user, text)
        except StoreUnavailableError as error:  # the turn was not saved: say so, do not pretend
            print(f"\n(No pude guardar tu mensaje: {error}. Revisa DATA_DIR e inténtalo de nuevo.)\n")
            continue
        print(f"\nBot: {reply.text}\n")


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one message per stdin line, JSON out")
    parser.add_argument("--user", default=DEFAULT_USER, help="sender id (default: a local test user)")


def run(settings: Settings, args: Namespace) -> int:
    container = build_container(settings)
    try:
        return main(container, as_json=args.json, user=args.user)
    finally:
        container.close()


def main(container: Container, *, as_json: bool, user: str) -> int:
    if as_json:
        return run_json(container, user, sys.stdin, sys.stdout)
    return run_interactive(container, user)

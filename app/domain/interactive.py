"""Tappable WhatsApp replies and the taps that come back.

A reply that lists courses carries a list-picker (one item per course, its id the course's id);
a reply that ends with a yes/no question carries quick-reply buttons whose ids name the question
("marketing_consent:yes"). A tap comes back with that id, so a tapped "Sí" answers exactly the
question of its button, whatever the conversation asked since, and a tapped course is that
course, whatever list came after.

Where a tappable message cannot go (inline TwiML, the terminal chat, the provider refusing it),
the same text goes as it is: it already numbers the courses and asks the question.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.domain.memory import PendingQuestion

# WhatsApp's limits as Twilio's Content API states them for each type.
LIST_MIN_ITEMS, LIST_MAX_ITEMS = 2, 10
ITEM_TITLE_MAX, ITEM_DESCRIPTION_MAX = 24, 72
BUTTON_TITLE_MAX, MAX_BUTTONS = 20, 3
BODY_MAX = 1024  # the body of a list-picker or a quick-reply
LIST_BUTTON = "Ver cursos"
# The body of a tappable message sent on its own, after a text too long to carry it.
LIST_PROMPT = "Toca un curso para ver sus detalles:"
BUTTONS_PROMPT = "Responde con un toque:"

# After a course's card, the next steps that fit (the card already gives price, dates and
# syllabus): each tap reads as the message it stands for.
NEXT_STEPS: tuple[tuple[str, str, str], ...] = (
    ("next:enroll", "Quiero inscribirme", "quiero inscribirme en este curso"),
    ("next:advisor", "Hablar con asesor", "quiero hablar con un asesor"),
    ("next:more", "Ver otros cursos", "que otros cursos tienen?"),
)
_NEXT_STEP_TEXTS = {payload: text for payload, _, text in NEXT_STEPS}

InteractiveKind = Literal["list-picker", "quick-reply"]
_QUESTIONS: tuple[PendingQuestion, ...] = ("contact", "marketing_consent")
_YES, _NO = "yes", "no"


class Choice(BaseModel):
    """One list item or button: the id comes back with the tap."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=ITEM_TITLE_MAX)
    description: str = Field(default="", max_length=ITEM_DESCRIPTION_MAX)


class Interactive(BaseModel):
    """The tappable form of a message. `body` is sent as the message's text (a variable of the
    content, so that one content serves every text with the same choices)."""

    model_config = ConfigDict(frozen=True)

    kind: InteractiveKind
    body: str = Field(min_length=1, max_length=BODY_MAX)
    choices: tuple[Choice, ...] = Field(min_length=1, max_length=LIST_MAX_ITEMS)
    button: str = ""  # the list-picker's button

    def fallback_text(self) -> str:
        """The text sent instead: the body, numbered choices added when it does not list them."""
        if self.kind == "quick-reply" or all(c.title in self.body for c in self.choices):
            return self.body
        lines = [f"{n}. {choice.title}" for n, choice in enumerate(self.choices, start=1)]
        return "\n".join([self.body, *lines])

    def content_key(self) -> str:
        """What identifies its content resource: everything but the body (a variable)."""
        shape = self.model_dump(mode="json", exclude={"body"})
        return hashlib.sha256(json.dumps(shape, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def with_body(self, body: str) -> Interactive:
        return self.model_copy(update={"body": body})


class Tap(BaseModel):
    """A student's tap on a list item or a button, as the inbound message carries it."""

    model_config = ConfigDict(frozen=True)

    payload: str = Field(max_length=200)
    title: str = ""

    @property
    def course_id(self) -> str | None:
        """The course a list item stood for (an id that is not one of the bot's buttons)."""
        if self.answer is not None or self.payload in _NEXT_STEP_TEXTS:
            return None
        return self.payload or None

    @property
    def stands_for(self) -> str | None:
        """The message a next-step button stands for, read by the rules like typed text."""
        return _NEXT_STEP_TEXTS.get(self.payload)

    @property
    def answer(self) -> tuple[PendingQuestion, bool] | None:
        """(question, yes) when this is a yes/no button of one of the bot's questions."""
        question, _, value = self.payload.partition(":")
        if question in _QUESTIONS and value in (_YES, _NO):
            return question, value == _YES  # type: ignore[return-value]
        return None


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def course_list(body: str, courses: Sequence[tuple[str, str, str]]) -> Interactive | None:
    """A list-picker of (id, name, description) courses; None outside WhatsApp's 2 to 10 items."""
    if not LIST_MIN_ITEMS <= len(courses) <= LIST_MAX_ITEMS:
        return None
    choices = tuple(
        Choice(id=course_id, title=shorten(name, ITEM_TITLE_MAX), description=shorten(about, ITEM_DESCRIPTION_MAX))
        for course_id, name, about in courses
    )
    return Interactive(kind="list-picker", body=_fit(body, LIST_PROMPT), choices=choices, button=LIST_BUTTON)


def yes_no(body: str, question: PendingQuestion) -> Interactive:
    """Quick-reply buttons answering one of the bot's yes/no questions."""
    choices = (Choice(id=f"{question}:{_YES}", title="Sí"), Choice(id=f"{question}:{_NO}", title="No"))
    return Interactive(kind="quick-reply", body=_fit(body, BUTTONS_PROMPT), choices=choices)


def next_steps(body: str) -> Interactive:
    """The buttons after a course's card."""
    choices = tuple(Choice(id=payload, title=title) for payload, title, _ in NEXT_STEPS)
    return Interactive(kind="quick-reply", body=_fit(body, BUTTONS_PROMPT), choices=choices)


def _fit(body: str, prompt: str) -> str:
    return body if 0 < len(body) <= BODY_MAX else prompt


def attach_to_parts(parts: Sequence[str], interactive: Interactive | None) -> list[tuple[str, Interactive | None]]:
    """The reply's parts, the last one tappable: it carries the interactive form with its own
    text as the body, or, when that text is too long for a body, a short tappable part follows."""
    paired: list[tuple[str, Interactive | None]] = [(part, None) for part in parts]
    if interactive is None:
        return paired
    if paired and len(paired[-1][0]) <= BODY_MAX:
        last = paired[-1][0]
        paired[-1] = (last, interactive.with_body(last))
    else:
        standalone = interactive.with_body(LIST_PROMPT if interactive.kind == "list-picker" else BUTTONS_PROMPT)
        paired.append((standalone.fallback_text(), standalone))
    return paired

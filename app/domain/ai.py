"""What the conversation AI is asked, what it answers, and what it costs.

Pure data: the port (app.application.ports.ConversationAI) and its OpenAI adapter speak in
these models, so the use case never sees a client object and every boundary is validated.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from app.domain.courses import Course
from app.domain.intents import Intent
from app.domain.profile import ProfileUpdate

# Descriptions are cut so that a handful of courses fit in the prompt budget.
FACT_DESCRIPTION_CHARS = 160
SYLLABUS_SHOWN = 8


class AIUsage(BaseModel):
    """Requests sent to the AI service for one message, and the tokens they used."""

    model_config = ConfigDict(frozen=True)

    calls: int = Field(default=0, ge=0)
    prompt_tokens: int = Field(default=0, ge=0)
    completion_tokens: int = Field(default=0, ge=0)
    cached_tokens: int = Field(default=0, ge=0)  # prompt tokens the provider served from its cache

    def __add__(self, other: AIUsage) -> AIUsage:
        return AIUsage(
            calls=self.calls + other.calls,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cached_tokens=self.cached_tokens + other.cached_tokens,
        )


class AIFailure(StrEnum):
    """Why an AI answer was not used; logged and counted, never shown to the student."""

    NOT_CONFIGURED = "not_configured"
    SUSPECTED_INJECTION = "suspected_injection"  # the message tries to rewrite the rules: no call
    CIRCUIT_OPEN = "circuit_open"  # degraded: waiting for the cool-down before trying again
    TIMEOUT = "timeout"
    CONNECTION = "connection"
    AUTHENTICATION = "authentication"  # 401/403: a wrong or revoked key
    RATE_LIMITED = "rate_limited"  # 429
    SERVER_ERROR = "server_error"  # 5xx
    BAD_REQUEST = "bad_request"  # other 4xx: our request or the model name is wrong
    MALFORMED = "malformed"  # not JSON, or empty
    TRUNCATED = "truncated"  # cut at the token limit
    SCHEMA = "schema"  # JSON that does not match the expected structure
    REFUSED = "refused"  # the model declined to answer
    PROMPT_LEAK = "prompt_leak"  # the reply quotes the instructions
    UNGROUNDED = "ungrounded"  # a fact or promise that the catalogue data does not back
    # The reply is not worse than the template only if it passes these (app.domain.reply_checks):
    OFF_LANGUAGE = "off_language"  # not in the student's language
    BARE_ANSWER = "bare_answer"  # a bare "sí"/"no" that says nothing more
    INTERNAL_LABEL = "internal_label"  # an intent name, a course ref, a JSON key
    INVENTED_CONTACT = "invented_contact"  # an e-mail, phone or link the school file does not give
    POLICY_DENIAL = "policy_denial"  # denies a policy the school file states
    MISSING_FACTS = "missing_facts"  # leaves out a fact the rules' answer states
    UNKNOWN_AFFIRMED = "unknown_affirmed"  # says "sí" to what nobody knows (a certificate not listed)
    DROPS_QUESTION = "drops_question"  # the turn asks a yes/no question the reply leaves out
    REPEATED = "repeated"  # word for word the previous reply
    OFF_FOCUS = "off_focus"  # names other courses than the rules' answer shows
    FALSE_COMMITMENT = "false_commitment"  # announces a hand-off or an opt-out the rules did not record
    FIXED_ANSWER = "fixed_answer"  # consent, opt-out, hand-off: the school's own wording goes out
    UNEXPECTED = "unexpected"

    @property
    def is_outage(self) -> bool:
        """Failures of the service itself, as opposed to one unusable answer."""
        return self in _OUTAGES


_OUTAGES = frozenset(
    {
        AIFailure.TIMEOUT,
        AIFailure.CONNECTION,
        AIFailure.AUTHENTICATION,
        AIFailure.RATE_LIMITED,
        AIFailure.SERVER_ERROR,
        AIFailure.BAD_REQUEST,
        AIFailure.UNEXPECTED,
    }
)


class CourseFacts(BaseModel):
    """A course as the AI sees it: only what a reply may state, already formatted."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    level: str | None = None
    modality: str | None = None
    session_count: int | None = None
    duration_hours: int | None = None
    price: str | None = None
    start_date: date | None = None
    description: str | None = None
    syllabus: tuple[str, ...] = ()
    bonuses: tuple[str, ...] = ()

    @classmethod
    def from_course(cls, course: Course, *, detailed: bool = False) -> CourseFacts:
        """The facts of a course; the syllabus and bonuses only when asked about in detail."""
        description = course.short_description or ""
        if len(description) > FACT_DESCRIPTION_CHARS:
            description = description[: FACT_DESCRIPTION_CHARS - 1].rsplit(" ", 1)[0] + "…"
        return cls(
            id=course.id,
            name=course.name,
            level=course.level,
            modality=course.modality,
            session_count=course.session_count,
            duration_hours=course.duration_hours,
            price=course.price_label,
            start_date=course.start_date,
            description=description or None,
            syllabus=tuple(s.title for s in course.sessions[:SYLLABUS_SHOWN]) if detailed else (),
            bonuses=tuple(b.content for b in course.bonuses) if detailed else (),
        )


class ConversationTurn(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: Literal["user", "assistant"]
    text: str


class AIRequest(BaseModel):
    """One message to understand and answer, with just enough context to do it well."""

    model_config = ConfigDict(frozen=True)

    text: str
    rule_intent: Intent
    rule_confidence: float = Field(ge=0.0, le=1.0)
    profile_summary: str = ""
    recent_turns: tuple[ConversationTurn, ...] = ()
    courses: tuple[CourseFacts, ...] = ()
    last_shown_ids: tuple[str, ...] = ()  # the courses the previous reply listed, in order
    rules_answer: str = ""  # the reply the rules and templates would send: facts to keep
    pending_question: str | None = None  # the yes/no question the previous reply asked
    is_first_message: bool = False
    facets: tuple[str, ...] = ()  # what the message asks: "price", "certificate"...
    focus_id: str | None = None  # the course the question is about, one of `courses`
    school_facts: tuple[str, ...] = ()  # the school's own answers to the facets asked, verbatim


class AIAnalysis(BaseModel):
    """What the AI understood and what it proposes to answer (not yet checked)."""

    model_config = ConfigDict(frozen=True)

    intent: Intent
    confidence: float = Field(ge=0.0, le=1.0)
    profile: ProfileUpdate = ProfileUpdate()
    course_ids: tuple[str, ...] = ()
    reply: str = Field(min_length=1)
    usage: AIUsage = AIUsage()
    acts: tuple[str, ...] = ()  # what the message does: question, answer, objection...
    facets: tuple[str, ...] = ()  # details asked, as Facet values
    pending_answer: Literal["yes", "no", "none"] = "none"  # to the question the last reply asked
    language: str = ""  # of the student's message, as the model read it ("es", "en")


class AIUsageTotals(BaseModel):
    """Running totals since the process started, for /health and the logs."""

    messages: int = 0
    consulted: int = 0
    ai_replies: int = 0
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    grounding_rejections: int = 0
    fallbacks: dict[str, int] = Field(default_factory=dict)  # per reason: outages, bad answers, checks failed
    exempt: dict[str, int] = Field(default_factory=dict)  # turns the model did not read, per reason
    context_cache_hits: int = 0
    context_cache_misses: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def calls_per_message(self) -> float:
        return round(self.calls / self.messages, 3) if self.messages else 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def prompt_tokens_per_message(self) -> float:
        return round(self.prompt_tokens / self.messages, 1) if self.messages else 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def completion_tokens_per_message(self) -> float:
        return round(self.completion_tokens / self.messages, 1) if self.messages else 0.0

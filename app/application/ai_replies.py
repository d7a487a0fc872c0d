"""AI-assisted turns: when to ask the AI, what to give it, and whether its reply may be sent.

The AI is asked at most once per message, and only when the rules are unsure. It gets the
courses the catalogue search found for the message (not the catalogue), the student's
profile and the last turns. Its reply is sent only if every fact in it is backed by those
courses; otherwise, or when the AI fails in any way, the rules and templates answer exactly
as in basic mode and the student never hears about it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

from app.application.ai_context import ContextCache
from app.application.errors import AIUnavailableError
from app.application.ports import ConversationAI
from app.application.query_courses import CourseSelection, QueryCourseInformation
from app.domain.ai import AIAnalysis, AIFailure, AIRequest, AIUsage, AIUsageTotals, CourseFacts
from app.domain.course_search import parse_level
from app.domain.courses import Course
from app.domain.facets import Facet
from app.domain.grounding import check_reply
from app.domain.injection import looks_like_prompt_injection
from app.domain.intents import COURSE_RELEVANT_INTENTS, Intent, IntentResult
from app.domain.memory import UserMemory
from app.domain.profile import ProfileUpdate
from app.domain.school_knowledge import SchoolKnowledge
from app.domain.text import normalize
from app.domain.topics import extract_topics

logger = logging.getLogger(__name__)

# The rule classifier gives clear cues a weight of 0.75 or more (intent_rules.STRONG) and
# suggests the AI below 0.6; between the two are bare subjects ("python?") and guesses,
# exactly the messages where understanding the student pays, so the AI is asked below 0.75.
CONFIDENT_RULE = 0.75
# These answers are fixed wording with side effects (opt-out, hand-over to a person): a
# clear rule match never needs the AI, and when the AI is the one that recognises them the
# template still answers, so the student reads exactly what the school committed to.
FIXED_ANSWER_INTENTS = frozenset({Intent.GREETING, Intent.OPT_OUT, Intent.CONTACT_REQUEST})
FIXED_ANSWER_CONFIDENCE = 0.8
TEMPLATE_ONLY_INTENTS = frozenset({Intent.OPT_OUT, Intent.CONTACT_REQUEST})
_OBJECTIONS = frozenset({Intent.PRICE_OBJECTION, Intent.TIME_OBJECTION})
_DETAIL_INTENTS = frozenset({Intent.GENERAL_QUESTION, Intent.BUYING_SIGNALS})

MAX_CANDIDATES = 5
MAX_INTERESTS = 5
MAX_PAIN_POINTS = 3
_MAX_NAME_CHARS = 40
_MAX_ROLE_CHARS = 60
_MAX_INTEREST_CHARS = 40
_MAX_PAIN_POINT_CHARS = 120
_STEM = 5  # "contadora" and "contador" share a stem: enough to say the student said it


class AIPolicy(BaseModel):
    """When a message is worth an AI call."""

    model_config = ConfigDict(frozen=True)

    confident_at: float = CONFIDENT_RULE
    fixed_answer_at: float = FIXED_ANSWER_CONFIDENCE

    def should_consult(self, rule: IntentResult) -> bool:
        if rule.intent in FIXED_ANSWER_INTENTS and rule.confidence >= self.fixed_answer_at:
            return False
        return rule.confidence < self.confident_at


class AIConsultation(BaseModel):
    """What the AI contributed to one turn; empty fields mean the rules and templates decide."""

    model_config = ConfigDict(frozen=True)

    intent: IntentResult | None = None
    profile: ProfileUpdate | None = None
    reply: str | None = None  # checked against the catalogue; None: the templates answer
    selection: CourseSelection = CourseSelection()
    usage: AIUsage = AIUsage()
    fallback: AIFailure | None = None


class _Candidates(BaseModel):
    model_config = ConfigDict(frozen=True)

    courses: tuple[Course, ...]
    detail_id: str | None = None


class AIAdvisor:
    """Asks the ConversationAI about a message and vets its answer."""

    def __init__(
        self,
        ai: ConversationAI,
        courses: QueryCourseInformation,
        *,
        cache: ContextCache | None = None,
        policy: AIPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        knowledge: SchoolKnowledge | None = None,
    ) -> None:
        self._knowledge = knowledge or SchoolKnowledge()
        self._ai = ai
        self._courses = courses
        self._cache = cache or ContextCache()
        self._policy = policy or AIPolicy()
        self._clock = clock
        self._totals = AIUsageTotals()

    async def consult(
        self,
        text: str,
        memory: UserMemory,
        rule: IntentResult,
        *,
        facets: tuple[Facet, ...] = (),
        focus: Course | None = None,
    ) -> AIConsultation:
        """The AI's understanding and reply for this message, or an empty consultation.

        `facets` and `focus`: what the message asks and about which course; the AI gets that
        course in detail and the school's answers to the facets, and may state only those."""
        self._totals.messages += 1
        if not self._policy.should_consult(rule):
            return AIConsultation()
        started = self._clock()
        if looks_like_prompt_injection(text):
            return self._fall_back(memory, AIFailure.SUSPECTED_INJECTION, "", AIUsage(), started)
        self._totals.consulted += 1
        candidates = await self._candidates(text, memory, rule, focus)
        school_facts = self._knowledge.answers_for(facets)
        request = self._request(text, memory, rule, candidates).model_copy(
            update={"facets": tuple(f.value for f in facets), "school_facts": school_facts,
                    "focus_id": focus.id if focus is not None else None}
        )  # fmt: skip
        try:
            analysis = await self._ai.analyse(request)
        except AIUnavailableError as error:
            return self._fall_back(memory, error.reason, error.detail, error.usage, started)
        report = check_reply(analysis.reply, candidates.courses, knowledge=school_facts)
        if not report.ok:
            self._totals.grounding_rejections += 1
            return self._fall_back(memory, AIFailure.UNGROUNDED, report.summary(), analysis.usage, started)
        consultation = self._accept(analysis, text, candidates, report.mentioned_course_ids)
        self._count(consultation.usage)
        self._totals.ai_replies += consultation.reply is not None
        self._log(memory, "ai" if consultation.reply is not None else "ai_intent_template_reply", consultation, started)
        return consultation

    def remember(self, memory: UserMemory) -> None:
        """Called after a turn is remembered: move the cached context forward."""
        self._cache.advance(memory)

    def usage_totals(self) -> AIUsageTotals:
        """A snapshot; /health reads it from a web thread while the engine's loop counts."""
        return self._totals.model_copy(
            update={
                "fallbacks": dict(self._totals.fallbacks),  # copied in one step under the GIL
                "context_cache_hits": self._cache.hits,
                "context_cache_misses": self._cache.misses,
            }
        )

    # --- building the request --------------------------------------------------------------

    async def _candidates(
        self, text: str, memory: UserMemory, rule: IntentResult, focus: Course | None = None
    ) -> _Candidates:
        """The course in focus, the courses the search finds for this message, and those the
        last reply listed."""
        if focus is not None:
            selection = CourseSelection(detail=focus)
        else:
            intent = rule.intent if rule.intent in COURSE_RELEVANT_INTENTS | _OBJECTIONS else Intent.EXPLORATION
            selection = await self._courses.select_for_turn(intent, text, memory)
        found = [selection.detail] if selection.detail is not None else list(selection.courses)
        chosen = {course.id: course for course in found}
        # "el segundo", "ese": the model can only resolve them if it sees what was listed.
        for course_id in memory.last_course_ids:
            if len(chosen) >= MAX_CANDIDATES:
                break
            if course_id not in chosen:
                course = await self._courses.get_course_details(course_id)
                if course is not None:
                    chosen[course.id] = course
        detail_id = selection.detail.id if selection.detail is not None else None
        return _Candidates(courses=tuple(chosen.values())[:MAX_CANDIDATES], detail_id=detail_id)

    def _request(self, text: str, memory: UserMemory, rule: IntentResult, candidates: _Candidates) -> AIRequest:
        context = self._cache.get(memory)
        given = {course.id for course in candidates.courses}
        return AIRequest(
            text=text,
            rule_intent=rule.intent,
            rule_confidence=rule.confidence,
            profile_summary=context.profile_summary,
            recent_turns=context.recent_turns,
            courses=tuple(
                CourseFacts.from_course(course, detailed=course.id == candidates.detail_id)
                for course in candidates.courses
            ),
            last_shown_ids=tuple(cid for cid in memory.last_course_ids if cid in given),
            is_first_message=memory.interaction_count == 0,
        )

    # --- vetting the answer ----------------------------------------------------------------

    def _accept(
        self, analysis: AIAnalysis, text: str, candidates: _Candidates, mentioned: tuple[str, ...]
    ) -> AIConsultation:
        intent = IntentResult(intent=analysis.intent, confidence=analysis.confidence, matched_rules=("ai",))
        profile = sanitize_profile(analysis.profile, text)
        given = {course.id: course for course in candidates.courses}
        unknown = [cid for cid in analysis.course_ids if cid not in given]
        if unknown:
            logger.info("AI recommended course ids it was not given (ignored): %s", ", ".join(unknown))
        if analysis.intent in TEMPLATE_ONLY_INTENTS:
            return AIConsultation(intent=intent, profile=profile, usage=analysis.usage)
        # The reply shows the courses it names, in the order it names them.
        shown = tuple(given[cid] for cid in mentioned if cid in given)
        if len(shown) == 1 and shown[0].id == candidates.detail_id and analysis.intent in _DETAIL_INTENTS:
            selection = CourseSelection(detail=shown[0])
        else:
            selection = CourseSelection(courses=shown)
        return AIConsultation(
            intent=intent, profile=profile, reply=analysis.reply.strip(), selection=selection, usage=analysis.usage
        )

    def _fall_back(
        self, memory: UserMemory, reason: AIFailure, detail: str, usage: AIUsage, started: float
    ) -> AIConsultation:
        consultation = AIConsultation(usage=usage, fallback=reason)
        self._count(usage)
        self._totals.fallbacks[reason.value] = self._totals.fallbacks.get(reason.value, 0) + 1
        level = logging.INFO if reason in {AIFailure.CIRCUIT_OPEN, AIFailure.SUSPECTED_INJECTION} else logging.WARNING
        logger.log(level, "AI not used for %s (%s%s); templates answer", memory.user_id, reason.value,
                   f": {detail}" if detail else "")  # fmt: skip
        self._log(memory, f"template ({reason.value})", consultation, started)
        return consultation

    def _count(self, usage: AIUsage) -> None:
        self._totals.calls += usage.calls
        self._totals.prompt_tokens += usage.prompt_tokens
        self._totals.completion_tokens += usage.completion_tokens

    def _log(self, memory: UserMemory, outcome: str, consultation: AIConsultation, started: float) -> None:
        usage = consultation.usage
        logger.info(
            "ai turn user=%s outcome=%s calls=%d prompt_tokens=%d completion_tokens=%d latency_ms=%d",
            memory.user_id, outcome, usage.calls, usage.prompt_tokens, usage.completion_tokens,
            round((self._clock() - started) * 1000),
        )  # fmt: skip


def sanitize_profile(update: ProfileUpdate, text: str) -> ProfileUpdate:
    """Keep only what the student's own message supports, in the shapes the memory uses.

    The model sees the profile summary too and may repeat it, or be talked into inventing
    one ("me llamo Admin"): a name or role is kept only when the message itself says it.
    """
    said = set(normalize(text).split())
    stems = {word[:_STEM] for word in said if len(word) >= _STEM}
    name = _said_name(update.name, said)
    role = update.role.strip()[:_MAX_ROLE_CHARS] if update.role else None
    if role and not any(w[:_STEM] in stems for w in normalize(role).split() if len(w) >= _STEM):
        role = None
    level = parse_level(update.level)
    return ProfileUpdate(
        name=name,
        role=role,
        level=level.value if level else None,
        interests=_interests(update.interests),
        pain_points=tuple(p.strip()[:_MAX_PAIN_POINT_CHARS] for p in update.pain_points if p.strip())[:MAX_PAIN_POINTS],
    )


def _said_name(name: str | None, said: set[str]) -> str | None:
    if not name or len(name) > _MAX_NAME_CHARS:
        return None
    words = normalize(name).split()
    if not words or not all(word in said for word in words):
        return None
    return " ".join(part.capitalize() for part in name.split())


def _interests(interests: tuple[str, ...]) -> tuple[str, ...]:
    """Canonical topics where the vocabulary knows them ("excel"), short free text otherwise."""
    kept: list[str] = []
    for interest in interests:
        topics = extract_topics(interest)
        for item in topics or [interest.strip().lower()[:_MAX_INTEREST_CHARS]]:
            if item and item not in kept:
                kept.append(item)
    return tuple(kept[:MAX_INTERESTS])

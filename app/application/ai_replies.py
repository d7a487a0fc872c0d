"""AI-assisted turns: the model reads every turn, and its reply goes out only when it is no worse.

The rules read each message first and write their answer. The model then reads the same
message with that reading and that answer as context (once per message), except where the
turn must stay deterministic: an opt-out keyword, a student who opted out, a message that
tries to rewrite the rules, a message with no text (floods never reach a turn). It gets
the courses of the rules' answer and of the last list (not the catalogue), the student's
profile and the last turns. Its reply replaces the template only when every fact in it is
backed by those courses and the school's file (app.domain.grounding) and it is of use to
the student (app.domain.reply_checks); otherwise, or when the AI fails in any way, the
template goes out and the log says which check failed. Consent, opt-out and hand-off stay
with the rules' unambiguous reading: the model's reading never records one on its own.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from app.application.ai_context import ContextCache
from app.application.ai_profile import sanitize_profile
from app.application.errors import AIUnavailableError
from app.application.ports import ConversationAI
from app.application.query_courses import CourseSelection, QueryCourseInformation
from app.domain.ai import AIAnalysis, AIFailure, AIRequest, AIUsage, AIUsageTotals, CourseFacts
from app.domain.courses import Course
from app.domain.facet_answers import plan_answers
from app.domain.facets import Facet
from app.domain.intents import COURSE_RELEVANT_INTENTS, Intent, IntentResult
from app.domain.memory import UserMemory
from app.domain.profile import ProfileUpdate
from app.domain.school_knowledge import SchoolKnowledge
from app.domain.text import has_letters_or_digits

if TYPE_CHECKING:
    from app.domain.reply_checks import CheckFailure

# The checks of the model's replies (grounding, injection, relevance) are imported by the methods
# that use them: a process without an AI key never builds an AIAdvisor, and their ~60 patterns
# would cost its start-up about 10 ms of compiling for nothing.

logger = logging.getLogger(__name__)

# The rules give clear cues a weight of 0.75 or more (intent_rules.STRONG): there the rules'
# intent stands; below it, the model's intent counts when the model is at least this sure.
CONFIDENT_RULE = 0.75
MODEL_INTENT_FLOOR = 0.7
# An explicit opt-out is honoured at once and word for word: the model never reads it.
OPT_OUT_KEYWORD_CONFIDENCE = 0.8
# Answers with side effects (a hand-off, an opt-out): the school's own wording goes out, and
# the model's reading of them counts only where the rules' unambiguous reading agrees.
TEMPLATE_ONLY_INTENTS = frozenset({Intent.OPT_OUT, Intent.CONTACT_REQUEST})
_OBJECTIONS = frozenset({Intent.PRICE_OBJECTION, Intent.TIME_OBJECTION})
_DETAIL_INTENTS = frozenset({Intent.GENERAL_QUESTION, Intent.BUYING_SIGNALS})

MAX_CANDIDATES = 5


class AIPolicy(BaseModel):
    """Which turns the model reads, and when its intent counts."""

    model_config = ConfigDict(frozen=True)

    confident_at: float = CONFIDENT_RULE
    intent_floor: float = MODEL_INTENT_FLOOR
    opt_out_at: float = OPT_OUT_KEYWORD_CONFIDENCE

    def exemption(self, text: str, rule: IntentResult, memory: UserMemory, *, tapped: bool = False) -> str | None:
        """Why this turn must stay deterministic, or None when the model reads it."""
        if tapped:
            return "tapped_button"  # a tap is an unambiguous answer or choice: the rules act on it
        if not has_letters_or_digits(text):
            return "no_text"
        if rule.intent == Intent.OPT_OUT and rule.confidence >= self.opt_out_at:
            return "opt_out_keyword"
        if memory.opted_out:
            return "opted_out"
        return None

    def model_intent(self, analysis: AIAnalysis, rule: IntentResult) -> IntentResult | None:
        """The model's intent when it counts: above the floor, where the rules are unsure, and
        for opt-out or hand-off only when the rules read the same."""
        if analysis.confidence < self.intent_floor or analysis.intent == rule.intent:
            return None
        if analysis.intent in TEMPLATE_ONLY_INTENTS or rule.intent in TEMPLATE_ONLY_INTENTS:
            return None
        if rule.confidence >= self.confident_at:
            return None
        return IntentResult(intent=analysis.intent, confidence=analysis.confidence, matched_rules=("ai",))


class TurnDraft(BaseModel):
    """The rules' turn as the model is shown it: their reading and the answer they wrote."""

    model_config = ConfigDict(frozen=True)

    text: str
    rule: IntentResult
    answer: str  # the template reply, before any follow-up question appended to it
    selection: CourseSelection = CourseSelection()
    facets: tuple[Facet, ...] = ()
    focus: Course | None = None
    fixed: bool = False  # consent or declined hand-off: the school's wording goes out
    asks_question: bool = False  # the answer asks the yes/no question the next turn reads
    pending_question: str | None = None  # the question the previous reply asked
    previous_reply: str | None = None
    tapped: bool = False  # a tapped button or list item: a compliance action, read by the rules alone


class AIConsultation(BaseModel):
    """What the AI contributed to one turn; empty fields mean the rules and templates decide."""

    model_config = ConfigDict(frozen=True)

    intent: IntentResult | None = None
    profile: ProfileUpdate | None = None
    reply: str | None = None  # checked against the catalogue; None: the templates answer
    selection: CourseSelection = CourseSelection()
    usage: AIUsage = AIUsage()
    fallback: AIFailure | None = None
    exempt: str | None = None  # why the model did not read this turn


class _Candidates(BaseModel):
    model_config = ConfigDict(frozen=True)

    courses: tuple[Course, ...]
    detail_id: str | None = None
    answer_ids: tuple[str, ...] = ()  # the courses the rules' answer shows


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
        self._school_text = "\n".join(entry.answer for entry in self._knowledge.entries)
        from app.domain.reply_checks import school_policies

        self._policies = school_policies([(entry.topic, entry.answer) for entry in self._knowledge.entries])

    async def review(self, draft: TurnDraft, memory: UserMemory) -> AIConsultation:
        """The model's reading of this turn and its reply, if the reply may replace the rules'."""
        self._totals.messages += 1
        exempt = self._policy.exemption(draft.text, draft.rule, memory, tapped=draft.tapped)
        if exempt is not None:
            self._totals.exempt[exempt] = self._totals.exempt.get(exempt, 0) + 1
            return AIConsultation(exempt=exempt)
        from app.domain.grounding import check_reply
        from app.domain.injection import looks_like_prompt_injection

        started = self._clock()
        if looks_like_prompt_injection(draft.text):
            return self._fall_back(memory, AIFailure.SUSPECTED_INJECTION, "", AIUsage(), started)
        self._totals.consulted += 1
        candidates = await self._candidates(draft, memory)
        school_facts = self._knowledge.answers_for(draft.facets)
        request = self._request(draft, memory, candidates, school_facts)
        try:
            analysis = await self._ai.analyse(request)
        except AIUnavailableError as error:
            return self._fall_back(memory, error.reason, error.detail, error.usage, started)
        reading = AIConsultation(
            intent=None if draft.fixed else self._policy.model_intent(analysis, draft.rule),
            profile=sanitize_profile(analysis.profile, draft.text),
            usage=analysis.usage,
        )
        self._log_disagreement(draft, analysis, memory)
        # The rules' answer is built from the catalogue and the school's file: what it states is backed.
        report = check_reply(analysis.reply, candidates.courses, knowledge=(*school_facts, draft.answer))
        if not report.ok:
            self._totals.grounding_rejections += 1
            return self._fall_back(memory, AIFailure.UNGROUNDED, report.summary(), analysis.usage, started, reading)
        failure = self._relevance(analysis, draft)
        if failure is not None:
            return self._fall_back(memory, failure.reason, failure.detail, analysis.usage, started, reading)
        selection = self._selection(analysis, draft, candidates, report.mentioned_course_ids)
        if selection is None:
            detail = "names other courses than the rules' answer"
            return self._fall_back(memory, AIFailure.OFF_FOCUS, detail, analysis.usage, started, reading)
        consultation = reading.model_copy(update={"reply": analysis.reply.strip(), "selection": selection})
        self._count(consultation.usage)
        self._totals.ai_replies += 1
        self._log(memory, "ai", consultation, started)
        return consultation

    def remember(self, memory: UserMemory) -> None:
        """Called after a turn is remembered: move the cached context forward."""
        self._cache.advance(memory)

    def usage_totals(self) -> AIUsageTotals:
        """A snapshot; /health reads it from a web thread while the engine's loop counts."""
        return self._totals.model_copy(
            update={
                "fallbacks": dict(self._totals.fallbacks),  # copied in one step under the GIL
                "exempt": dict(self._totals.exempt),
                "context_cache_hits": self._cache.hits,
                "context_cache_misses": self._cache.misses,
            }
        )

    # --- building the request --------------------------------------------------------------

    async def _candidates(self, draft: TurnDraft, memory: UserMemory) -> _Candidates:
        """The courses of the rules' answer (or the course in focus), then those the last reply
        listed; a turn whose answer shows none gets the ones the search finds for it."""
        selection = draft.selection
        if draft.focus is not None and not selection.course_ids:
            selection = CourseSelection(detail=draft.focus)
        if not selection.course_ids:
            rule = draft.rule
            intent = rule.intent if rule.intent in COURSE_RELEVANT_INTENTS | _OBJECTIONS else Intent.EXPLORATION
            selection = await self._courses.select_for_turn(intent, draft.text, memory)
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
        return _Candidates(
            courses=tuple(chosen.values())[:MAX_CANDIDATES], detail_id=detail_id,
            answer_ids=draft.selection.course_ids,
        )  # fmt: skip

    def _request(
        self, draft: TurnDraft, memory: UserMemory, candidates: _Candidates, school_facts: tuple[str, ...]
    ) -> AIRequest:
        context = self._cache.get(memory)
        given = {course.id for course in candidates.courses}
        return AIRequest(
            text=draft.text,
            rule_intent=draft.rule.intent,
            rule_confidence=draft.rule.confidence,
            profile_summary=context.profile_summary,
            recent_turns=context.recent_turns,
            courses=tuple(
                CourseFacts.from_course(course, detailed=course.id == candidates.detail_id)
                for course in candidates.courses
            ),
            last_shown_ids=tuple(cid for cid in memory.last_course_ids if cid in given),
            is_first_message=memory.interaction_count == 0,
            facets=tuple(f.value for f in draft.facets),
            focus_id=draft.focus.id if draft.focus is not None else None,
            school_facts=school_facts,
            rules_answer=draft.answer,
            pending_question=draft.pending_question,
        )

    # --- vetting the answer ----------------------------------------------------------------

    def _relevance(self, analysis: AIAnalysis, draft: TurnDraft) -> CheckFailure | None:
        """Why the reply would be worse than the rules' answer, or None."""
        from app.domain.reply_checks import CheckFailure, ReplyContext, check_relevance, false_commitment

        if draft.fixed or draft.rule.intent in TEMPLATE_ONLY_INTENTS:
            return CheckFailure(
                reason=AIFailure.FIXED_ANSWER, detail=f"{draft.rule.intent.value}: the school's wording"
            )
        reply = analysis.reply.strip()
        context = ReplyContext(
            student_text=draft.text, rules_answer=draft.answer,
            answers=plan_answers(draft.facets, draft.focus, self._knowledge),
            school_text=self._school_text, school_policies=self._policies,
        )  # fmt: skip
        failure = check_relevance(reply, context)
        if failure is not None:
            return failure
        if false_commitment(reply, draft.answer):
            return CheckFailure(reason=AIFailure.FALSE_COMMITMENT, detail="announces what the rules did not record")
        if draft.asks_question and "?" not in reply:
            return CheckFailure(reason=AIFailure.DROPS_QUESTION, detail="the rules' answer asks a yes/no question")
        if draft.previous_reply is not None and reply == draft.previous_reply.strip():
            return CheckFailure(reason=AIFailure.REPEATED, detail="the previous reply, word for word")
        return None

    def _selection(
        self, analysis: AIAnalysis, draft: TurnDraft, candidates: _Candidates, mentioned: tuple[str, ...]
    ) -> CourseSelection | None:
        """The courses the sent reply shows: the rules' own when it names any of them (or
        none), the ones it names when the rules showed none; None when it talks about others."""
        given = {course.id: course for course in candidates.courses}
        unknown = [cid for cid in analysis.course_ids if cid not in given]
        if unknown:
            logger.info("AI recommended course ids it was not given (ignored): %s", ", ".join(unknown))
        if candidates.answer_ids:
            if mentioned and not set(mentioned) & set(candidates.answer_ids):
                return None
            return draft.selection
        shown = tuple(given[cid] for cid in mentioned if cid in given)
        if len(shown) == 1 and shown[0].id == candidates.detail_id and analysis.intent in _DETAIL_INTENTS:
            return CourseSelection(detail=shown[0])
        return CourseSelection(courses=shown)

    def _log_disagreement(self, draft: TurnDraft, analysis: AIAnalysis, memory: UserMemory) -> None:
        """Consent and hand-off answers stay the rules'; a model that reads them otherwise is logged."""
        if draft.pending_question is None or analysis.pending_answer == "none":
            return
        logger.info(
            "ai reading user=%s pending=%s model_answer=%s rule_intent=%s",
            memory.user_id, draft.pending_question, analysis.pending_answer, draft.rule.intent.value,
        )  # fmt: skip

    def _fall_back(
        self,
        memory: UserMemory,
        reason: AIFailure,
        detail: str,
        usage: AIUsage,
        started: float,
        reading: AIConsultation | None = None,
    ) -> AIConsultation:
        """The template answers; what the model read (intent, profile) may still count."""
        consultation = (reading or AIConsultation()).model_copy(update={"usage": usage, "fallback": reason})
        self._count(usage)
        self._totals.fallbacks[reason.value] = self._totals.fallbacks.get(reason.value, 0) + 1
        level = logging.WARNING if reason.is_outage else logging.INFO
        logger.log(level, "AI not used for %s (%s%s); templates answer", memory.user_id, reason.value,
                   f": {detail}" if detail else "")  # fmt: skip
        self._log(memory, f"template ({reason.value})", consultation, started)
        return consultation

    def _count(self, usage: AIUsage) -> None:
        self._totals.calls += usage.calls
        self._totals.prompt_tokens += usage.prompt_tokens
        self._totals.completion_tokens += usage.completion_tokens
        self._totals.cached_tokens += usage.cached_tokens

    def _log(self, memory: UserMemory, outcome: str, consultation: AIConsultation, started: float) -> None:
        usage = consultation.usage
        logger.info(
            "ai turn user=%s outcome=%s calls=%d prompt_tokens=%d cached_tokens=%d completion_tokens=%d latency_ms=%d",
            memory.user_id, outcome, usage.calls, usage.prompt_tokens, usage.cached_tokens, usage.completion_tokens,
            round((self._clock() - started) * 1000),
        )  # fmt: skip

"""The conversation turn: classify, remember, choose courses, answer, score."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from app.application.ai_replies import AIAdvisor, TurnDraft
from app.application.answer_questions import (
    AdvisorTemplates,
    FacetReplyContext,
    RecapContext,
    answers_with_facets,
    facets_asked,
    promote_course_reference,
    wants_service_again,
)
from app.application.errors import StoreUnavailableError
from app.application.formatting import split_for_whatsapp
from app.application.ports import (
    InboundLog,
    IntentClassifier,
    ProfileExtractor,
    ReplyContext,
    UserMemoryRepository,
)
from app.application.query_courses import CourseSelection, FocusSelection, QueryCourseInformation
from app.domain.ai import AIUsage
from app.domain.answered_turns import answer_already_given, remember_answer
from app.domain.answers import is_acknowledgement, is_closing, parse_yes_no
from app.domain.courses import Course
from app.domain.facet_answers import plan_answers
from app.domain.facets import SCHOOL_FACETS, Facet, detect_facets
from app.domain.intents import COURSE_RELEVANT_INTENTS, Intent, IntentResult
from app.domain.interactive import Interactive, Tap, course_list, next_steps, yes_no
from app.domain.lead_scoring import score_lead
from app.domain.memory import HistoryEntry, UserMemory
from app.domain.messages import MAX_PROCESSED_CHARS, InboundMessage, Reply, merge_burst
from app.domain.modes import AIState
from app.domain.profile import ProfileUpdate
from app.domain.school_knowledge import SchoolKnowledge
from app.domain.text import has_letters_or_digits

logger = logging.getLogger(__name__)

# Messages already exchanged before the bot asks for marketing consent: by then the
# student knows what the school offers and the question is not an ambush.
CONSENT_AFTER_MESSAGES = 2
# Below this, an OFF_TOPIC verdict means "no rule matched" rather than "clearly unrelated".
PROFILE_STATEMENT_MAX_CONFIDENCE = 0.5


class TurnOutcome(BaseModel):
    """What one turn decided, before it becomes a Reply."""

    model_config = ConfigDict(frozen=True)

    text: str
    intent: IntentResult
    selection: CourseSelection = CourseSelection()
    ai_used: bool = False
    ai_usage: AIUsage = AIUsage()
    facets_answered: bool = False  # a short answer to facet questions, not cards
    cards_shown: tuple[str, ...] = ()  # courses whose card the text carries
    detailed: bool = False  # the card is the detailed one (syllabus, bonuses)
    # The rules' reading, for the model to read the turn with (app.application.ai_replies):
    facets: tuple[Facet, ...] = ()
    focus: Course | None = None
    fixed: bool = False  # an answer with a side effect (consent, declined hand-off): worded by the school
    follow_up: str = ""  # the question appended to the answer (marketing consent)


class ProcessIncomingMessage:
    """Turns one inbound message into exactly one reply, and remembers the exchange."""

    def __init__(
        self,
        *,
        courses: QueryCourseInformation,
        memory: UserMemoryRepository,
        inbound_log: InboundLog,
        classifier: IntentClassifier,
        extractor: ProfileExtractor,
        templates: AdvisorTemplates,
        clock: Callable[[], datetime],
        mode: Callable[[], str],
        ai: AIAdvisor | None = None,
        ai_state: Callable[[], AIState] = lambda: AIState.OFF,
        knowledge: SchoolKnowledge | None = None,
    ) -> None:
        self._knowledge = knowledge or SchoolKnowledge()
        self._courses = courses
        self._memory = memory
        self._inbound = inbound_log
        self._classifier = classifier
        self._extractor = extractor
        self._templates = templates
        self._clock = clock
        self._mode = mode
        self._ai = ai
        self._ai_state = ai_state

    async def execute(self, message: InboundMessage) -> Reply:
        await self._inbound.record_if_new(message.message_id, message.user_id, message.received_at)
        async with self._memory.user_lock(message.user_id):
            return await self.execute_locked(message)

    async def execute_locked(self, message: InboundMessage, earlier: tuple[InboundMessage, ...] = ()) -> Reply:
        """The turn, for a caller that already holds the user's lock (and has recorded the
        delivery): the REST delivery keeps the lock across sending, so one user's replies
        go out in the order their messages came in.

        `earlier`: the messages of a burst before `message` (oldest first). They are answered
        by this one turn: their texts are read together, each is remembered as a message the
        student sent, and the reply is stored on `message` alone."""
        # Checked inside the lock: a duplicate delivery waits for the first one to
        # finish and then gets the same reply instead of a second turn.
        record = await self._inbound.get(message.message_id)
        if record is not None and record.reply is not None:
            return record.reply.model_copy(update={"duplicate": True})
        burst = (*earlier, message)
        memory = await self._load_memory(message.user_id)
        given = answer_already_given(memory, message.message_id)
        if given is not None:
            # An earlier run saved the memory and died before storing the reply: the turn
            # happened, so it is not counted again; its reply is stored and sent now.
            await self._inbound.store_reply(message.message_id, given)
            return given.model_copy(update={"duplicate": True})
        reply = await self.compose_reply(burst, memory)
        remember_answer(memory, message.message_id, reply)  # the memory write commits the turn
        await self._save_memory(memory)
        await self._inbound.store_reply(message.message_id, reply)
        return reply

    async def compose_reply(self, burst: tuple[InboundMessage, ...], memory: UserMemory) -> Reply:
        """One turn for a burst of messages (oldest first): `memory` is updated in place and
        nothing is stored, so the caller saves memory and reply in one transaction."""
        outcome = await self._run_turn(merge_burst(burst), memory)
        reply = self._remember_turn(burst, memory, outcome)
        if self._ai is not None:
            self._ai.remember(memory)
        memory.updated_at = self._clock()
        return reply

    async def _run_turn(self, message: InboundMessage, memory: UserMemory) -> TurnOutcome:
        """The rules' turn, then the model's reading of it (when AI is configured)."""
        pending, previous = memory.pending_question, self._previous_reply(memory)
        outcome = await self._rules_turn(message, memory)
        if self._ai is None:
            return outcome
        body = outcome.text.removesuffix(outcome.follow_up)
        draft = TurnDraft(
            text=message.text.strip()[:MAX_PROCESSED_CHARS], rule=outcome.intent, answer=body,
            selection=outcome.selection, facets=outcome.facets, focus=outcome.focus, fixed=outcome.fixed,
            asks_question=memory.pending_question == "contact", pending_question=pending, previous_reply=previous,
            tapped=message.tap is not None,
        )  # fmt: skip
        consulted = await self._ai.review(draft, memory)
        if consulted.profile is not None:
            apply_profile_update(memory, consulted.profile)
        update: dict[str, object] = {"intent": consulted.intent or outcome.intent, "ai_usage": consulted.usage}
        if consulted.reply is not None:
            update |= {"text": consulted.reply + outcome.follow_up, "selection": consulted.selection, "ai_used": True}
        return outcome.model_copy(update=update)

    async def _rules_turn(self, message: InboundMessage, memory: UserMemory) -> TurnOutcome:
        tapped_text = message.tap.stands_for if message.tap is not None else None
        text = (tapped_text or message.text.strip())[:MAX_PROCESSED_CHARS]
        if not has_letters_or_digits(text) and message.media_count > 0:
            template = self._templates.voice_note if message.has_audio else self._templates.media_only
            return TurnOutcome(text=template(memory), intent=_unclassified())
        if not text:
            return TurnOutcome(text=self._templates.empty_message(memory), intent=_unclassified())
        profile = self._extractor.extract(text)
        result = promote_profile_statement(self._classifier.classify(text), profile)
        result, answered = self._answer_pending_question(memory, text, result, message.tap)
        if answered is not None:
            return answered
        tapped = await self._tapped_course(message.tap)
        if tapped is not None:  # a tapped course is the course, and the answer is about it
            outcome = await self._show_courses(memory, text, _TAPPED_COURSE, CourseSelection(detail=tapped))
            self._learn(memory, Intent.EXPLORATION)
            self._track_focus(memory, outcome, ())
            return outcome
        result = promote_course_reference(result, text, memory)
        facets = facets_asked(text, memory)
        manners = self._manners(memory, text, result, facets)
        if manners is not None:
            return manners
        focus = await self._courses.select_focus(text, memory) if facets else FocusSelection()
        self._learn(memory, result.intent, profile)
        if answers_with_facets(result, facets, focus, carried=not detect_facets(text)):
            outcome = self._answer_facets(memory, text, result, facets, focus)
        else:
            outcome = await self._show_courses(memory, text, result)
        self._track_focus(memory, outcome, facets if outcome.facets_answered else ())
        text_out = self._ask_follow_up(memory, result.intent, outcome.selection, outcome.text)
        return outcome.model_copy(
            update={"text": self._not_a_repeat(memory, text_out), "facets": facets, "focus": focus.course,
                    "follow_up": text_out.removeprefix(outcome.text)}
        )  # fmt: skip

    def _manners(
        self, memory: UserMemory, text: str, result: IntentResult, facets: tuple[Facet, ...]
    ) -> TurnOutcome | None:
        """Thanks and closings get a courteous close; after an opt-out, no sales text at all."""
        if memory.opted_out and not wants_service_again(result, facets):
            return TurnOutcome(text=self._templates.opted_out_again(memory), intent=result)
        if facets:
            return None
        if is_closing(text) and (result.intent == Intent.OFF_TOPIC or "farewell" in result.matched_rules):
            return TurnOutcome(text=self._templates.closing(memory), intent=result)
        if result.intent == Intent.OFF_TOPIC and is_acknowledgement(text):
            return TurnOutcome(text=self._templates.acknowledgement(memory), intent=result)
        return None

    def _answer_facets(
        self, memory: UserMemory, text: str, result: IntentResult, facets: tuple[Facet, ...], focus: FocusSelection
    ) -> TurnOutcome:
        course = focus.course
        answers = plan_answers(facets, course, self._knowledge)
        context = FacetReplyContext(
            intent=result.intent, text=text, memory=memory, answers=answers, course=course,
            course_changed=course is not None and course.id != memory.focus.focus_course_id,
        )  # fmt: skip
        needs_course = any(not a.known and a.facet not in SCHOOL_FACETS for a in answers)
        if course is None and needs_course:
            # Remembered as answered: "el de excel" next gets these facets about that course.
            return TurnOutcome(text=self._templates.ask_which_course(context), intent=result, facets_answered=True)
        reply = self._templates.answer_facets(context)
        if not all(a.known for a in answers) or (result.intent == Intent.BUYING_SIGNALS and course is not None):
            # "¿quieres que un asesor te lo confirme?" / "¿te contacto?": a "sí" next is a contact request.
            memory.pending_question = "contact"
        selection = CourseSelection(detail=course) if course is not None else CourseSelection()
        return TurnOutcome(text=reply, intent=result, selection=selection, facets_answered=True)

    async def _tapped_course(self, tap: Tap | None) -> Course | None:
        """The catalogue course a tapped list item stands for (None: not a course, or no longer
        in the catalogue, and the tap is read as its text)."""
        if tap is None or tap.course_id is None:
            return None
        return await self._courses.get_course_details(tap.course_id)

    async def _show_courses(
        self, memory: UserMemory, text: str, result: IntentResult, chosen: CourseSelection | None = None
    ) -> TurnOutcome:
        """The courses this turn is about, as cards, or a reference to cards already sent."""
        selection = chosen or await self._courses.select_for_turn(result.intent, text, memory)
        recap = RecapContext(intent=result.intent, memory=memory, course=selection.detail, courses=selection.courses)
        focus = memory.focus
        if selection.detail is not None and selection.detail.id in focus.detailed_course_ids:
            return TurnOutcome(text=self._templates.course_recap(recap), intent=result, selection=selection)
        listed = [c.id for c in selection.courses]
        if len(listed) > 1 and listed == focus.last_list_ids and set(listed) <= set(focus.shown_card_ids):
            return TurnOutcome(text=self._templates.same_list(recap), intent=result, selection=selection)
        context = ReplyContext(
            intent=result.intent,
            text=text,
            memory=memory,
            courses=selection.courses,
            detail_course=selection.detail,
            is_first_message=memory.interaction_count == 0,
        )
        cards = selection.course_ids if selection.detail is not None or selection.courses else ()
        return TurnOutcome(
            text=self._templates.compose(context), intent=result, selection=selection, cards_shown=cards,
            detailed=selection.detail is not None,
        )  # fmt: skip

    def _track_focus(self, memory: UserMemory, outcome: TurnOutcome, facets: tuple[Facet, ...]) -> None:
        """The course in focus, the last list, the cards sent and the facets just answered."""
        focus = memory.focus
        selection = outcome.selection
        if selection.detail is not None:
            focus.point_at(selection.detail.id)
        elif len(selection.courses) > 1:
            focus.point_at(None)
            focus.last_list_ids = [c.id for c in selection.courses]
        elif len(selection.courses) == 1:
            focus.point_at(selection.courses[0].id)
        if outcome.cards_shown:
            focus.remember_cards(list(outcome.cards_shown), detailed=outcome.detailed)
        focus.last_facets = [facet.value for facet in facets]
        memory.update_focus(focus)

    def _not_a_repeat(self, memory: UserMemory, text: str) -> str:
        """A reply identical to the previous one reads like a broken bot: say it differently."""
        return self._templates.rephrase(text, memory) if self._previous_reply(memory) == text else text

    @staticmethod
    def _previous_reply(memory: UserMemory) -> str | None:
        return next((e.text for e in reversed(memory.message_history) if e.role == "assistant"), None)

    def _answer_pending_question(
        self, memory: UserMemory, text: str, result: IntentResult, tap: Tap | None = None
    ) -> tuple[IntentResult, TurnOutcome | None]:
        """Read a short "sí"/"no" as the answer to the question the last reply asked; a tapped
        button answers the question it was the button of, whatever was asked since."""
        pending, memory.pending_question = memory.pending_question, None
        answer = parse_yes_no(text) if pending else None
        if tap is not None and tap.answer is not None:
            pending, answer = tap.answer
        if answer is None:
            return result, None
        if pending == "contact":
            if answer:
                return IntentResult(
                    intent=Intent.CONTACT_REQUEST, confidence=0.95, matched_rules=("yes_to_contact",)
                ), None
            return result, TurnOutcome(text=self._templates.contact_declined(memory), intent=result, fixed=True)
        memory.marketing_consent = answer
        return result, TurnOutcome(text=self._templates.consent_answer(memory, answer), intent=result, fixed=True)

    def _ask_follow_up(self, memory: UserMemory, intent: Intent, selection: CourseSelection, text: str) -> str:
        """Remember the yes/no question a reply ends with; ask for marketing consent once."""
        if intent == Intent.BUYING_SIGNALS and selection.course_ids:
            memory.pending_question = "contact"
            return text
        if memory.pending_question is not None:
            return text  # the reply already ends with a question (an advisor to confirm)
        if should_ask_marketing_consent(memory, intent):
            memory.pending_question = "marketing_consent"
            memory.consent_asked_at = self._clock()
            return f"{text}\n\n{self._templates.consent_question(memory)}"
        return text

    def _learn(self, memory: UserMemory, intent: Intent, *updates: ProfileUpdate | None) -> None:
        for update in updates:
            if update is not None:
                apply_profile_update(memory, update)
        memory.count_intent(intent)
        now = self._clock()
        if intent == Intent.OPT_OUT:
            memory.opted_out, memory.opted_out_at, memory.marketing_consent = True, now, False
        elif intent == Intent.CONTACT_REQUEST:
            memory.human_requested, memory.human_requested_at = True, now

    def _remember_turn(self, burst: tuple[InboundMessage, ...], memory: UserMemory, outcome: TurnOutcome) -> Reply:
        now = self._clock()
        # interaction_count counts the messages the student sent (what engagement and the
        # consent question are about), not the replies: a burst of three counts three.
        memory.interaction_count += len(burst)
        memory.first_interaction_at = memory.first_interaction_at or burst[0].received_at
        memory.last_interaction_at = burst[-1].received_at
        if outcome.selection.course_ids:
            memory.last_course_ids = list(outcome.selection.course_ids)
        if outcome.selection.detail is not None:
            memory.remember_requested_courses([outcome.selection.detail.id])
        intent = outcome.intent.intent
        # Each message of a burst as the student wrote it, then the one reply to all of them.
        for message in burst:
            user_text = message.text[:MAX_PROCESSED_CHARS]
            memory.remember_message(HistoryEntry(role="user", text=user_text, at=now, intent=intent))
        memory.remember_message(HistoryEntry(role="assistant", text=outcome.text, at=now))
        # The base score (before inactivity decay): reports decay it to their own "now".
        memory.lead_score = score_lead(memory, now).base_score
        parts = split_for_whatsapp(outcome.text)
        return Reply(
            text=outcome.text,
            parts=parts,
            interactive=_tappable(memory, outcome, parts[-1] if parts else ""),
            intent=intent,
            confidence=outcome.intent.confidence,
            course_ids=outcome.selection.course_ids,
            lead_score=memory.lead_score,
            mode=self._mode(),
            ai_used=outcome.ai_used,
            ai_state=self._ai_state(),
            ai_usage=outcome.ai_usage,
        )

    async def _load_memory(self, user_id: str) -> UserMemory:
        try:
            memory = await self._memory.load_user_memory(user_id)
        except StoreUnavailableError:
            logger.warning("memory store unavailable; answering %s without memory", user_id)
            memory = None
        return memory or UserMemory(user_id=user_id, created_at=self._clock())

    async def _save_memory(self, memory: UserMemory) -> None:
        # A failed save raises (StoreUnavailableError): the turn is not committed, so no reply may
        # go out as if it were; the webhook answers 503 and Twilio's retry runs the turn again.
        memory.updated_at = self._clock()
        await self._memory.save_user_memory(memory)


def apply_profile_update(memory: UserMemory, update: ProfileUpdate) -> None:
    """Merge what a message taught us; a newly stated name or role replaces the old one."""
    if update.name:
        memory.name = update.name
    if update.role:
        memory.role = update.role
    if update.level:
        memory.level = update.level
    memory.add_interests(list(update.interests))
    memory.add_pain_points(list(update.pain_points))


def promote_profile_statement(result: IntentResult, profile: ProfileUpdate) -> IntentResult:
    """A message the rules could not place but that says who the person is or what they
    want to learn ("trabajo en recursos humanos", "me gusta el diseño") opens a course
    conversation, not an off-topic reply."""
    if result.intent != Intent.OFF_TOPIC or result.confidence >= PROFILE_STATEMENT_MAX_CONFIDENCE:
        return result
    if not (profile.role or profile.interests):
        return result
    return IntentResult(
        intent=Intent.EXPLORATION, confidence=0.5, matched_rules=(*result.matched_rules, "profile_statement")
    )


def should_ask_marketing_consent(memory: UserMemory, intent: Intent) -> bool:
    """Ask once, to an engaged contact, never to one who opted out or already said yes."""
    if memory.marketing_consent or memory.opted_out or memory.consent_asked_at is not None:
        return False
    return intent == Intent.CONTACT_REQUEST or (
        intent in COURSE_RELEVANT_INTENTS and memory.interaction_count >= CONSENT_AFTER_MESSAGES
    )


_TAPPED_COURSE = IntentResult(intent=Intent.EXPLORATION, confidence=1.0, matched_rules=("tapped_course",))


def _tappable(memory: UserMemory, outcome: TurnOutcome, last_part: str) -> Interactive | None:
    """The tappable form of the reply's last part: buttons for the yes/no question it ends
    with, else a list of the courses it shows, else the next steps after one course's card."""
    asked_now = "no_text" not in outcome.intent.matched_rules  # a media-only turn asks nothing new
    if memory.pending_question is not None and last_part and asked_now:
        return yes_no(last_part, memory.pending_question)
    courses = outcome.selection.courses
    if outcome.cards_shown and len(courses) > 1:
        return course_list(last_part, [(c.id, c.name, c.short_description or c.name) for c in courses])
    if outcome.detailed and len(outcome.cards_shown) == 1 and last_part:
        return next_steps(last_part)
    return None


def _unclassified() -> IntentResult:
    return IntentResult(intent=Intent.OFF_TOPIC, confidence=0.0, matched_rules=("no_text",))

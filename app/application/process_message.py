"""The conversation turn: classify, remember, choose courses, answer, score."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from app.application.ai_replies import AIAdvisor, TurnDraft
from app.application.answer_questions import (
    CLEAR_REQUEST_CONFIDENCE,
    AdvisorTemplates,
    FacetReplyContext,
    RecapContext,
    answers_with_facets,
    facets_asked,
    promote_course_reference,
    wants_service_again,
)
from app.application.catalogue_turn import CatalogueReplyContext, catalogue_answer
from app.application.errors import StoreUnavailableError
from app.application.formatting import split_for_whatsapp
from app.application.handoffs import HandoffRecorder
from app.application.ports import (
    InboundLog,
    IntentClassifier,
    ProfileExtractor,
    ReplyContext,
    UserMemoryRepository,
)
from app.application.query_courses import CourseSelection, FocusSelection, QueryCourseInformation
from app.domain.acts import (
    Clause,
    answer_to_prompt,
    asks_something,
    is_acknowledgement,
    is_closing,
    is_english,
    read_acts,
    reading_text,
)
from app.domain.ai import AIUsage
from app.domain.answered_turns import answer_already_given, remember_answer
from app.domain.catalogue_questions import LISTING_ASKS
from app.domain.courses import Course
from app.domain.facet_answers import plan_answers
from app.domain.facets import SCHOOL_FACETS, Facet, detect_facets, without_question_words
from app.domain.handoff import HandoffRequest, handoff_reason
from app.domain.intents import COURSE_RELEVANT_INTENTS, Intent, IntentResult
from app.domain.interactive import Interactive, Tap, course_list, next_steps, yes_no
from app.domain.lead_events import courses_asked_about, summarize_lead
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
# Facets of a student on the way to paying: "¿cómo me inscribo?", "¿aceptan PayPal?".
ENROLMENT_FACETS = frozenset({Facet.ENROLMENT, Facet.PAYMENT_METHODS, Facet.INSTALMENTS, Facet.INVOICE})
# The pending questions a bare "sí"/"no" answers, and the one a course answers.
YES_NO_PROMPTS = frozenset({"contact", "marketing_consent"})
ENROL_WHICH = "enrol_which"
# What a reply to "¿en cuál te quieres inscribir?" may be read as, when it names a course.
_WHICH_ANSWERS = frozenset({Intent.OFF_TOPIC, Intent.EXPLORATION, Intent.GENERAL_QUESTION})
# How every template that asks a yes/no question asks it ("Responde *sí* y le paso tus datos").
YES_NO_PROMPT = "Responde *sí*"
# Commands are obeyed, not answered with catalogue figures.
_NEVER_CATALOGUE = frozenset({Intent.OPT_OUT, Intent.CONTACT_REQUEST})


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
    # A buying turn that is about enrolling or paying, not a question about the course's content.
    asks_to_enrol: bool = True
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
        handoffs: HandoffRecorder | None = None,
    ) -> None:
        self._knowledge = knowledge or SchoolKnowledge()
        self._handoffs = handoffs
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
        reply = await self.compose_reply(burst, memory, can_hand_off=self._handoffs is not None)
        await self._record_handoff(memory, reply)
        remember_answer(memory, message.message_id, reply)  # the memory write commits the turn
        await self._save_memory(memory)
        await self._inbound.store_reply(message.message_id, reply)
        return reply

    async def compose_reply(
        self, burst: tuple[InboundMessage, ...], memory: UserMemory, *, can_hand_off: bool = True
    ) -> Reply:
        """One turn for a burst of messages (oldest first): `memory` is updated in place and
        nothing is stored, so the caller saves memory and reply in one transaction.

        `can_hand_off`: a request for a person will be recorded (by the caller's transaction,
        or inline); without it the reply promises no advisor."""
        outcome = await self._run_turn(merge_burst(burst), memory, can_hand_off)
        # Whatever answered the turn, a reply identical to the previous one is said differently.
        outcome = outcome.model_copy(update={"text": self._not_a_repeat(memory, outcome.text)})
        reply = self._remember_turn(burst, memory, outcome)
        if self._ai is not None:
            self._ai.remember(memory)
        memory.updated_at = self._clock()
        return reply

    async def _record_handoff(self, memory: UserMemory, reply: Reply) -> None:
        """A turn answered inline that hands the student to a person records the hand-off."""
        reason = handoff_reason(reply.intent, memory.opted_out)
        if reason is None or self._handoffs is None:
            return
        asked = {}
        for course_id in courses_asked_about(memory):
            course = await self._courses.get_course_details(course_id)
            if course is not None:
                asked[course_id] = course
        request = HandoffRequest(reason=reason, summary=summarize_lead(memory, asked))
        try:
            await self._handoffs.open_handoff(memory.user_id, request)
        except Exception:  # the reply goes out regardless; the advisors' alert is the log line
            logger.exception("the hand-off of %s could not be recorded", memory.user_id)

    async def _run_turn(self, message: InboundMessage, memory: UserMemory, can_hand_off: bool) -> TurnOutcome:
        """The rules' turn, then the model's reading of it (when AI is configured)."""
        pending, previous = memory.pending_question, self._previous_reply(memory)
        outcome = await self._rules_turn(message, memory, can_hand_off)
        if self._ai is None:
            return outcome
        body = outcome.text.removesuffix(outcome.follow_up)
        draft = TurnDraft(
            text=message.text.strip()[:MAX_PROCESSED_CHARS], rule=outcome.intent, answer=body,
            selection=outcome.selection, facets=outcome.facets, focus=outcome.focus, fixed=outcome.fixed,
            asks_question=memory.pending_question is not None and not outcome.follow_up, pending_question=pending,
            previous_reply=previous,
            tapped=message.tap is not None,
        )  # fmt: skip
        consulted = await self._ai.review(draft, memory)
        if consulted.profile is not None:
            apply_profile_update(memory, consulted.profile)
        update: dict[str, object] = {"intent": consulted.intent or outcome.intent, "ai_usage": consulted.usage}
        if consulted.reply is not None:
            update |= {"text": consulted.reply + outcome.follow_up, "selection": consulted.selection, "ai_used": True}
        return outcome.model_copy(update=update)

    async def _rules_turn(self, message: InboundMessage, memory: UserMemory, can_hand_off: bool) -> TurnOutcome:
        tapped_text = message.tap.stands_for if message.tap is not None else None
        text = (tapped_text or message.text.strip())[:MAX_PROCESSED_CHARS]
        if not has_letters_or_digits(text) and message.media_count > 0:
            template = self._templates.voice_note if message.has_audio else self._templates.media_only
            return TurnOutcome(text=template(memory), intent=_unclassified())
        if not text:
            return TurnOutcome(text=self._templates.empty_message(memory), intent=_unclassified())
        clauses = read_acts(text)
        if is_english(text):
            memory.pending_question = None
            return TurnOutcome(text=self._templates.in_english(memory), intent=_unclassified())
        profile = self._extractor.extract(text)
        asked_which = memory.pending_question == ENROL_WHICH
        result, answered = self._answer_pending_question(memory, clauses, text, message.tap)
        if answered is not None:
            return answered
        tapped = await self._tapped_course(message.tap)
        if tapped is not None:  # a tapped course is the course, and the answer is about it
            chosen = CourseSelection(detail=tapped)
            outcome = await self._show_courses(memory, text, _TAPPED_COURSE, can_hand_off, chosen)
            self._learn(memory, _TAPPED_COURSE)
            self._track_focus(memory, outcome, ())
            return outcome
        # The rules read the questions and statements, without the courtesy around them.
        text = reading_text(clauses, text)
        if result is None:
            result = self._classifier.classify(text)
            if is_unclear_contact_request(result):
                # A hand-off is a promise: a weak cue ("selección de personal") asks first.
                result = IntentResult(intent=Intent.OFF_TOPIC, confidence=0.3, matched_rules=result.matched_rules)
                if promote_profile_statement(result, profile) is result:
                    memory.pending_question = "contact"
                    return TurnOutcome(text=self._templates.offer_advisor(memory), intent=result)
            result = promote_profile_statement(result, profile)
        result = promote_course_reference(result, text, memory)
        if asked_which and result.confidence < CLEAR_REQUEST_CONFIDENCE and result.intent in _WHICH_ANSWERS:
            # "¿En cuál te quieres inscribir?" — "en el de sql", "el segundo": the enrolment goes on.
            result = IntentResult(intent=Intent.BUYING_SIGNALS, confidence=0.8, matched_rules=("enrol_which",))
        facets = facets_asked(text, memory)
        manners = self._manners(memory, clauses, text, result, facets)
        if manners is not None:
            return manners
        if result.intent not in _NEVER_CATALOGUE:
            catalogue = await catalogue_answer(self._courses, text, facets, memory, self._knowledge)
            if catalogue is not None:
                return self._catalogue_outcome(memory, catalogue, result)
        # The course is named by what is left once the question's own words are set aside.
        named_in = without_question_words(text)
        focus = await self._courses.select_focus(named_in, memory) if facets else FocusSelection()
        result = read_as_question(result, facets, asks=asks_something(clauses))
        self._learn(memory, result, profile)
        if answers_with_facets(result, facets, focus, carried=not detect_facets(text)):
            outcome = self._answer_facets(memory, text, result, facets, focus)
            if states_a_need_too(result, facets, profile):
                # "queremos capacitar a 10 personas en automatizar reportes": the school's answer,
                # then the courses for the need, as an advisor would.
                shown = await self._show_courses(memory, text, result, can_hand_off)
                outcome = shown.model_copy(update={"text": f"{outcome.text}\n\n{shown.text}"})
        else:
            outcome = await self._show_courses(memory, text, result, can_hand_off)
        self._track_focus(memory, outcome, facets if outcome.facets_answered else ())
        text_out = self._ask_follow_up(memory, result.intent, outcome.selection, outcome.text)
        reading = {"facets": facets, "focus": focus.course, "follow_up": text_out.removeprefix(outcome.text)}
        return outcome.model_copy(update={"text": text_out, **reading})

    def _manners(
        self, memory: UserMemory, clauses: tuple[Clause, ...], text: str, result: IntentResult,
        facets: tuple[Facet, ...],
    ) -> TurnOutcome | None:  # fmt: skip
        """Thanks and closings get a courteous close; after an opt-out, no sales text at all."""
        if memory.opted_out and not wants_service_again(result, facets):
            return TurnOutcome(text=self._templates.opted_out_again(memory), intent=result)
        if facets:
            return None
        if is_closing(clauses):
            return TurnOutcome(text=self._templates.closing(memory), intent=result)
        if result.intent == Intent.OFF_TOPIC and is_acknowledgement(clauses):
            return TurnOutcome(text=self._templates.acknowledgement(memory), intent=result)
        return None

    def _catalogue_outcome(
        self, memory: UserMemory, context: CatalogueReplyContext, result: IntentResult
    ) -> TurnOutcome:
        """A question about the whole catalogue: the data's answer, and its courses as the list."""
        if result.intent == Intent.OFF_TOPIC:
            result = IntentResult(
                intent=Intent.GENERAL_QUESTION, confidence=0.6, matched_rules=(*result.matched_rules, "catalogue")
            )
        self._learn(memory, result)
        # The reply's courses are those whose facts it states; only a ranking becomes the list
        # "el primero" points at next.
        outcome = TurnOutcome(
            text=self._templates.answer_catalogue(context), intent=result,
            selection=CourseSelection(courses=context.answer.courses),
        )  # fmt: skip
        if context.answer.question.ask in LISTING_ASKS:
            self._track_focus(memory, outcome, ())
        return outcome

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
        if asks_yes_no(reply):
            # "¿quieres que un asesor te lo confirme?" / "¿te contacto?": a "sí" next is a contact request.
            memory.pending_question = "contact"
        selection = CourseSelection(detail=course) if course is not None else CourseSelection()
        enrolling = bool(set(facets) & ENROLMENT_FACETS)
        return TurnOutcome(
            text=reply, intent=result, selection=selection, facets_answered=True, asks_to_enrol=enrolling
        )

    async def _tapped_course(self, tap: Tap | None) -> Course | None:
        """The catalogue course a tapped list item stands for (None: not a course, or no longer
        in the catalogue, and the tap is read as its text)."""
        if tap is None or tap.course_id is None:
            return None
        return await self._courses.get_course_details(tap.course_id)

    async def _show_courses(
        self, memory: UserMemory, text: str, result: IntentResult, can_hand_off: bool,
        chosen: CourseSelection | None = None,
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
            handoff_recorded=can_hand_off,
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
        self, memory: UserMemory, clauses: tuple[Clause, ...], text: str, tap: Tap | None = None
    ) -> tuple[IntentResult | None, TurnOutcome | None]:
        """A message that is nothing but "sí"/"no" answers the question the last reply asked;
        anything more ("ok, ¿y cuánto cuesta?") is read for itself and the question lapses. A
        tapped button answers the question it was the button of, whatever was asked since."""
        pending, memory.pending_question = memory.pending_question, None
        if tap is not None and tap.answer is not None:
            pending, answer = tap.answer
        elif pending in YES_NO_PROMPTS:
            answer = answer_to_prompt(text, consent=pending == "marketing_consent")
        else:
            return None, None
        if answer is None:
            return None, None
        if pending == "contact":
            if answer:
                return IntentResult(
                    intent=Intent.CONTACT_REQUEST, confidence=0.95, matched_rules=("yes_to_contact",)
                ), None
            result = IntentResult(intent=Intent.OFF_TOPIC, confidence=0.4, matched_rules=("no_to_contact",))
            return result, TurnOutcome(text=self._templates.contact_declined(memory), intent=result, fixed=True)
        memory.marketing_consent = answer
        result = IntentResult(intent=Intent.OFF_TOPIC, confidence=0.4, matched_rules=("consent_answer",))
        return result, TurnOutcome(text=self._templates.consent_answer(memory, answer), intent=result, fixed=True)

    def _ask_follow_up(self, memory: UserMemory, intent: Intent, selection: CourseSelection, text: str) -> str:
        """Remember the yes/no question a reply ends with; ask for marketing consent once."""
        if intent == Intent.BUYING_SIGNALS and selection.course_ids and asks_yes_no(text):
            memory.pending_question = "contact"
            return text
        if intent == Intent.BUYING_SIGNALS and len(selection.courses) > 1 and selection.detail is None:
            memory.pending_question = ENROL_WHICH  # "¿En cuál te quieres inscribir?"
            return text
        if memory.pending_question is not None:
            return text  # the reply already ends with a question (an advisor to confirm)
        if should_ask_marketing_consent(memory, intent):
            memory.pending_question = "marketing_consent"
            memory.consent_asked_at = self._clock()
            return f"{text}\n\n{self._templates.consent_question(memory)}"
        return text

    def _learn(self, memory: UserMemory, result: IntentResult, *updates: ProfileUpdate | None) -> None:
        for update in updates:
            if update is not None:
                apply_profile_update(memory, update)
        intent = result.intent
        if intent != Intent.OFF_TOPIC or result.confidence >= PROFILE_STATEMENT_MAX_CONFIDENCE:
            # A message nothing could read is not held against the student: only a clear
            # off-topic remark counts as one.
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
            if outcome.intent.intent == Intent.BUYING_SIGNALS and outcome.asks_to_enrol:
                memory.mark_enrolment_request(outcome.selection.detail.id)
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
    conversation, not an off-topic reply. A clear off-topic remark beside a subject the school
    teaches ("nunca ha programado, le gustan los videojuegos") is context for that subject."""
    if result.intent != Intent.OFF_TOPIC:
        return result
    if result.confidence >= PROFILE_STATEMENT_MAX_CONFIDENCE and not profile.interests:
        return result
    if not (profile.role or profile.interests):
        return result
    return IntentResult(
        intent=Intent.EXPLORATION, confidence=0.5, matched_rules=(*result.matched_rules, "profile_statement")
    )


_NEED_INTENTS = frozenset({Intent.EXPLORATION, Intent.AUTOMATION_NEED, Intent.PROFESSION_CHANGE})


def states_a_need_too(result: IntentResult, facets: tuple[Facet, ...], profile: ProfileUpdate) -> bool:
    """A question about the school alone, asked beside a need with a subject: both get answered."""
    school_only = bool(facets) and all(facet in SCHOOL_FACETS for facet in facets)
    return school_only and result.intent in _NEED_INTENTS and bool(profile.interests)


def read_as_question(result: IntentResult, facets: tuple[Facet, ...], *, asks: bool) -> IntentResult:
    """What a question asks is read by its facets: a weak intent cue ("trae plantillas?" read
    as exploring) does not turn a question about the course into something else. A statement
    ("mejor algo para principiantes") keeps its reading."""
    if not facets or not asks or result.intent in _NEVER_CATALOGUE:
        return result
    if result.intent != Intent.OFF_TOPIC and result.confidence >= CLEAR_REQUEST_CONFIDENCE:
        return result
    return IntentResult(intent=Intent.GENERAL_QUESTION, confidence=0.6, matched_rules=(*result.matched_rules, "facets"))


def asks_yes_no(text: str) -> bool:
    """The reply ends with the yes/no prompt, so a bare "sí" next answers it: a prompt the
    reply does not show is never pending."""
    return YES_NO_PROMPT in text


def is_unclear_contact_request(result: IntentResult) -> bool:
    """A request for a person read only from a single-word hint, not from a request."""
    hints_only = all(rule.startswith("keywords_") for rule in result.matched_rules)
    return result.intent == Intent.CONTACT_REQUEST and result.confidence < CLEAR_REQUEST_CONFIDENCE and hints_only


def should_ask_marketing_consent(memory: UserMemory, intent: Intent) -> bool:
    """Ask once, to an engaged contact, never to one who opted out or already said yes."""
    if memory.marketing_consent or memory.opted_out or memory.consent_asked_at is not None:
        return False
    # Never beside a hand-off to a person: that reply is about the advisor, not promotions.
    return intent in COURSE_RELEVANT_INTENTS and memory.interaction_count >= CONSENT_AFTER_MESSAGES


_TAPPED_COURSE = IntentResult(intent=Intent.EXPLORATION, confidence=1.0, matched_rules=("tapped_course",))


def _tappable(memory: UserMemory, outcome: TurnOutcome, last_part: str) -> Interactive | None:
    """The tappable form of the reply's last part: buttons for the yes/no question it ends
    with, else a list of the courses it shows, else the next steps after one course's card."""
    asked_now = "no_text" not in outcome.intent.matched_rules  # a media-only turn asks nothing new
    pending = memory.pending_question
    if pending is not None and pending != ENROL_WHICH and last_part and asked_now:
        return yes_no(last_part, pending)
    courses = outcome.selection.courses
    if outcome.cards_shown and len(courses) > 1:
        return course_list(last_part, [(c.id, c.name, c.short_description or c.name) for c in courses])
    if outcome.detailed and len(outcome.cards_shown) == 1 and last_part:
        return next_steps(last_part)
    return None


def _unclassified() -> IntentResult:
    return IntentResult(intent=Intent.OFF_TOPIC, confidence=0.0, matched_rules=("no_text",))

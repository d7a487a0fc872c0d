"""Answer a user's waiting messages and send the reply: the job a queue worker runs.

The queue runs one job per user at a time, in order (its lock), so this code never races
another turn of the same user; the compare-and-swap on the memory's version still guards
against a writer outside the queue (a CLI command, a data-protection request).

One run:
1. finish the parts an earlier run left unsent (a crash, a provider outage), oldest first,
   so replies never overtake each other;
2. take every waiting message (a burst: whatever arrived while the job was scheduled) and
   run one turn for them; the memory, the reply's parts, the lead events the turn caused,
   a hand-off it opened and "these messages are answered" are committed in one transaction,
   so a crash before it leaves nothing done (the turn runs again) and a crash after it
   leaves the reply stored (it is only sent);
3. send the new parts, each recorded `sending` before its request and `sent` after, with
   no database connection held across the request.

Two kinds of turn answer without the conversation engine: while a hand-off is open, the
messages are only remembered (one notice, then silence: a person has the conversation);
and a sender past the per-minute limit gets one notice, then silence, with no AI call.

A transient failure (the provider's 5xx/429, a lost database) propagates: the worker queues
the next attempt with backoff, and it resumes exactly where this one stopped. A part found
`sending` is looked up at the provider first: if it got there, it is only recorded. Twilio
may create a message whose request timed out on our side seconds later: the look-up waits
until `late_create` has passed since the request began (DeliveryNotSettledError tells the
worker when to come back), so that a late create is found instead of sent again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from app.application.errors import DeliveryNotSettledError, PermanentDeliveryError
from app.application.process_message import ProcessIncomingMessage
from app.application.query_courses import QueryCourseInformation
from app.application.queue_ports import (
    CommittedTurn,
    ConversationQueue,
    MessageProvider,
    NextTurn,
    TurnToCommit,
    VersionedMemory,
)
from app.application.whatsapp_ports import TypingIndicator, VoiceTranscriber
from app.domain.courses import Course
from app.domain.handoff import (
    BOT_FAILURE_MODE,
    BOT_FAILURE_NOTICE,
    HANDOFF_MODE,
    HANDOFF_NOTICE,
    HandoffReason,
    HandoffRequest,
    OpenHandoff,
    handoff_reason,
)
from app.domain.intents import Intent, IntentResult
from app.domain.lead_events import courses_asked_about, summarize_lead, turn_events
from app.domain.memory import HistoryEntry, UserMemory
from app.domain.messages import MAX_PROCESSED_CHARS, InboundMessage, Reply
from app.domain.outgoing import MAX_ERROR_CHARS, OutgoingPart, PartState

logger = logging.getLogger(__name__)

# How far before a part was recorded `sending` the provider's list is searched: clocks of
# the database, the worker and the provider differ a little.
CLOCK_SKEW = timedelta(minutes=2)


# Said once to a sender who floods the number; what follows the flood is recorded, unanswered.
RATE_LIMIT_NOTICE = (
    "Estoy recibiendo muchos mensajes seguidos 🙏. Dame un momento y escríbeme de nuevo en un minuto; "
    "con gusto te ayudo."
)
RATE_LIMITED_MODE = "rate_limited"


class AnswerPolicy(BaseModel):
    model_config = ConfigDict(frozen=True)

    burst_max_messages: int = Field(default=10, ge=1)  # read together by one turn
    # A sender past this many messages in a minute gets one polite notice, then silence (no
    # turn, no AI call) until the minute is over: a flood costs nothing and answers nothing.
    max_messages_per_minute: int = Field(default=30, ge=1)
    # An open hand-off with no message from either side for this long closes by itself.
    handoff_quiet: timedelta = timedelta(hours=24)
    max_turns_per_run: int = Field(default=5, ge=1)  # a chatty user yields the worker now and then
    max_commit_conflicts: int = Field(default=3, ge=1)
    # Course lists and yes/no questions go as WhatsApp list-pickers and buttons (else as text).
    tappable: bool = True
    # How long after a send request began the provider may still create its message (the
    # request's own timeout and then some): a part left `sending` is looked up only after it.
    late_create: timedelta = timedelta(seconds=40)


class RunSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    turns: int = 0
    messages: int = 0
    parts_sent: int = 0
    parts_failed: int = 0
    more_waiting: bool = False  # stopped at max_turns_per_run: the caller queues another run


class CommitConflictError(Exception):
    """The memory kept changing under the turn (a writer outside the queue): retry later."""


class AnswerWaitingMessages:
    def __init__(
        self,
        *,
        process: ProcessIncomingMessage,
        queue: ConversationQueue,
        provider: MessageProvider,
        courses: QueryCourseInformation,
        clock: Callable[[], datetime],
        policy: AnswerPolicy | None = None,
        publish_events: Callable[[list[str]], Awaitable[None]] | None = None,
        typing: TypingIndicator | None = None,
        voice: VoiceTranscriber | None = None,
    ) -> None:
        self._typing = typing
        self._voice = voice
        self._indicators: set[asyncio.Task[None]] = set()  # referenced until done
        self._process = process
        self._courses = courses
        self._publish_events = publish_events
        self._queue = queue
        self._provider = provider
        self._clock = clock
        self._policy = policy or AnswerPolicy()

    async def run(self, user_id: str) -> RunSummary:
        turns = messages = conflicts = sent = failed = 0
        more = False
        while True:
            minute_ago = self._clock() - timedelta(minutes=1)
            upcoming = await self._queue.next_turn(user_id, self._policy.burst_max_messages, since=minute_ago)
            # What an earlier run left unsent goes first (raising on a transient failure), so
            # replies never overtake each other.
            more_sent, more_failed = await self._send_parts(upcoming.unsent)
            sent, failed = sent + more_sent, failed + more_failed
            if not upcoming.messages:
                break
            if turns >= self._policy.max_turns_per_run:  # full bursts: the caller queues another run
                more = True
                break
            committed = await self._answer(user_id, upcoming, minute_ago)
            if committed is None:
                conflicts += 1
                if conflicts >= self._policy.max_commit_conflicts:
                    raise CommitConflictError(f"memory of {user_id} changed during {conflicts} turns in a row")
                continue
            turns, messages = turns + 1, messages + len(upcoming.messages)
            more_sent, more_failed = await self._send_parts(committed.parts)
            sent, failed = sent + more_sent, failed + more_failed
            if len(upcoming.messages) < self._policy.burst_max_messages:
                # All that waited is answered. A message that arrived since found this job
                # running, not waiting, so the user's next job was queued for it (the queue
                # runs it after this one): reading again here would cost a read per turn.
                break
        return RunSummary(turns=turns, messages=messages, parts_sent=sent, parts_failed=failed, more_waiting=more)

    async def give_up(self, user_id: str, reason: str) -> int:
        """The queue stops retrying: every unsent part is marked failed (visible in /health
        and the report), and messages still waiting go to a person: nothing is left silently
        pending, nor queued again forever. How many parts were marked failed."""
        left = await self._queue.next_turn(user_id, self._policy.burst_max_messages, since=self._clock())
        for part in left.unsent:
            await self._queue.mark_failed(part, reason[:MAX_ERROR_CHARS], None, self._clock())
        if left.unsent:
            logger.error("gave up %d reply part(s) of %s: %s", len(left.unsent), user_id, reason)
        if left.messages:
            await self._hand_over(user_id, left, reason)
        return len(left.unsent)

    async def _hand_over(self, user_id: str, left: NextTurn, reason: str) -> None:
        """Messages the bot could not answer: remembered, marked answered by a hand-off to a
        person (its alert reaches the advisors), and one notice to the student."""
        burst, context = left.messages, left.context
        memory = context.memory.memory or UserMemory(user_id=user_id, created_at=self._clock())
        self._remember_burst(burst, memory)
        notice = None if context.handoff is not None else BOT_FAILURE_NOTICE
        intent = IntentResult(intent=Intent.OFF_TOPIC, confidence=0.0)
        reply = self._recorded_only(burst, memory, notice, intent, BOT_FAILURE_MODE)
        summary = summarize_lead(memory, await self._courses_asked(memory))
        turn = self._turn(burst, memory, context.memory.version, reply).model_copy(
            update={"open_handoff": HandoffRequest(reason=HandoffReason.BOT_FAILURE, summary=summary)}
        )
        committed = await self._commit(turn)
        if committed is None:
            return  # answered meanwhile
        logger.error("%d message(s) of %s handed to a person after the bot failed: %s", len(burst), user_id, reason)
        try:
            await self._send_parts(committed.parts)
        except Exception:  # the turn is committed: the notice waits for the user's next run
            logger.warning("the notice to %s stays unsent for now", user_id, exc_info=True)

    async def _answer(self, user_id: str, upcoming: NextTurn, minute_ago: datetime) -> CommittedTurn | None:
        """The burst answered and committed; None when another writer got there first."""
        burst, loaded = upcoming.messages, upcoming.context.memory
        memory = loaded.memory or UserMemory(user_id=user_id, created_at=self._clock())
        handoff = await self._current_handoff(upcoming.context.handoff)
        if handoff is not None:
            turn = self._listen_for_advisor(burst, memory, loaded.version, handoff)
        elif upcoming.context.messages_since > self._policy.max_messages_per_minute:
            notice = await self._flood_reply(user_id, burst, memory, minute_ago)
            turn = self._turn(burst, memory, loaded.version, notice)
        else:
            self._show_typing(burst[-1].message_id)
            turn = await self._conversation_turn(await self._transcribed(burst), memory, loaded)
        return await self._commit(turn)

    def _show_typing(self, message_id: str) -> None:
        """The typing indicator, in the background: the turn never waits for it."""
        if self._typing is None:
            return
        task = asyncio.get_running_loop().create_task(self._typing.indicate_typing(message_id))
        self._indicators.add(task)
        task.add_done_callback(self._indicators.discard)

    async def _transcribed(self, burst: tuple[InboundMessage, ...]) -> tuple[InboundMessage, ...]:
        """Voice notes read as the student's text: the transcript replaces the empty body (and
        is what the conversation remembers); the audio itself is not kept."""
        if self._voice is None or not any(_voice_only(m) for m in burst):
            return burst
        heard = []
        for message in burst:
            transcript = await self._voice.transcript(message) if _voice_only(message) else None
            heard.append(message.model_copy(update={"text": transcript}) if transcript else message)
        return tuple(heard)

    async def _commit(self, turn: TurnToCommit) -> CommittedTurn | None:
        """Commit the turn and hand its lead events to delivery; None when another writer got
        there first."""
        committed = await self._queue.commit_turn(turn)
        if committed is not None and committed.event_ids and self._publish_events is not None:
            await self._publish_events(list(committed.event_ids))
        return committed

    async def _conversation_turn(
        self, burst: tuple[InboundMessage, ...], memory: UserMemory, loaded: VersionedMemory
    ) -> TurnToCommit:
        before = memory.model_copy(deep=True) if loaded.memory is not None else None
        reply = await self._process.compose_reply(burst, memory)
        if not self._policy.tappable:
            reply = reply.model_copy(update={"interactive": None})
        summary = summarize_lead(memory, await self._courses_asked(memory))
        reason = handoff_reason(reply.intent, memory.opted_out)
        return self._turn(burst, memory, loaded.version, reply).model_copy(
            update={
                "events": tuple(turn_events(before, memory, summary, self._clock())),
                "open_handoff": HandoffRequest(reason=reason, summary=summary) if reason else None,
            }
        )

    def _listen_for_advisor(
        self, burst: tuple[InboundMessage, ...], memory: UserMemory, version: int, handoff: OpenHandoff
    ) -> TurnToCommit:
        """A person has the conversation: remember the messages, say so once, answer nothing."""
        self._remember_burst(burst, memory)
        notice = None if handoff.notice_sent else HANDOFF_NOTICE
        intent = IntentResult(intent=Intent.CONTACT_REQUEST, confidence=1.0)
        reply = self._recorded_only(burst, memory, notice, intent, HANDOFF_MODE)
        return self._turn(burst, memory, version, reply).model_copy(
            update={"handoff_activity": handoff.id, "handoff_notice": not handoff.notice_sent}
        )

    def _remember_burst(self, burst: tuple[InboundMessage, ...], memory: UserMemory) -> None:
        for message in burst:
            entry = HistoryEntry(role="user", text=message.text[:MAX_PROCESSED_CHARS], at=self._clock())
            memory.remember_message(entry)

    async def _current_handoff(self, handoff: OpenHandoff | None) -> OpenHandoff | None:
        if handoff is not None and handoff.quiet_since(self._clock(), self._policy.handoff_quiet):
            await self._queue.close_handoff(handoff.id, "sin actividad")
            logger.info(
                "hand-off %d of %s closed after a quiet time; the bot answers again", handoff.id, handoff.user_id
            )
            return None
        return handoff

    async def _courses_asked(self, memory: UserMemory) -> dict[str, Course]:
        found = {}
        for course_id in courses_asked_about(memory):
            course = await self._courses.get_course_details(course_id)
            if course is not None:
                found[course_id] = course
        return found

    @staticmethod
    def _turn(burst: tuple[InboundMessage, ...], memory: UserMemory, version: int, reply: Reply) -> TurnToCommit:
        return TurnToCommit(
            user_id=memory.user_id,
            message_ids=tuple(m.message_id for m in burst),
            memory=memory,
            base_version=version,
            reply=reply,
        )

    async def _flood_reply(
        self, user_id: str, burst: tuple[InboundMessage, ...], memory: UserMemory, minute_ago: datetime
    ) -> Reply:
        """The notice once a minute, else nothing to send; the messages still count as sent."""
        noticed = await self._queue.rate_notice_since(user_id, minute_ago)
        logger.warning("%s sends too many messages; %s", user_id, "silence" if noticed else "told to slow down")
        notice = None if noticed else RATE_LIMIT_NOTICE
        return self._recorded_only(burst, memory, notice, IntentResult(intent=Intent.OFF_TOPIC, confidence=0.0),
                                   RATE_LIMITED_MODE)  # fmt: skip

    def _recorded_only(
        self, burst: tuple[InboundMessage, ...], memory: UserMemory, notice: str | None, intent: IntentResult, mode: str
    ) -> Reply:
        """A turn without the conversation engine: the messages count as sent, and the reply
        is the one notice, or nothing at all."""
        memory.interaction_count += len(burst)
        memory.last_interaction_at = burst[-1].received_at
        memory.updated_at = self._clock()
        text = notice or ""
        parts = (text,) if text else ()
        return Reply(text=text, parts=parts, intent=intent.intent, confidence=intent.confidence, mode=mode)

    async def _send_parts(self, parts: Iterable[OutgoingPart]) -> tuple[int, int]:
        sent = failed = 0
        for part in parts:
            if await self._send(part):
                sent += 1
            else:
                failed += 1
        return sent, failed

    async def _send(self, part: OutgoingPart) -> bool:
        """True when the part is (now known to be) at the provider; False when it failed for
        good. A transient failure raises and leaves the part `sending` for the next run."""
        if part.state == PartState.SENDING and part.sending_at is not None:
            settles_in = (part.sending_at + self._policy.late_create - self._clock()).total_seconds()
            if settles_in > 0:
                raise DeliveryNotSettledError(
                    f"part {part.index} of turn {part.turn_id} may still be created; looked up in {settles_in:.1f}s",
                    settles_in,
                )
            since = part.sending_at - CLOCK_SKEW
            known = await self._queue.provider_ids_since(part.user_id, since)
            found = None
            for body in _bodies_sent(part):
                found = found or await self._provider.find_sent(part.user_id, body, since, exclude=known)
            if found is not None:
                logger.info(
                    "part %d of turn %d had reached the provider: recorded, not resent", part.index, part.turn_id
                )
                await self._queue.mark_sent(part, found, self._clock())
                return True
        sending = await self._queue.mark_sending(part, self._clock())
        try:
            if part.interactive is not None:
                provider_sid = await self._provider.send_interactive(part.user_id, part.body, part.interactive)
            else:
                provider_sid = await self._provider.send(part.user_id, part.body)
        except PermanentDeliveryError as error:
            await self._queue.mark_failed(sending, str(error)[:MAX_ERROR_CHARS], error.code, self._clock())
            logger.error("part %d of turn %d refused by the provider: %s", part.index, part.turn_id, error)
            return False
        await self._queue.mark_sent(sending, provider_sid, self._clock())
        return True


def _bodies_sent(part: OutgoingPart) -> tuple[str, ...]:
    """The texts the provider may show for the part: a tappable message's own body, and its
    text form (sent when the tappable one could not be)."""
    if part.interactive is None or part.interactive.body == part.body:
        return (part.body,)
    return (part.interactive.body, part.body)


def _voice_only(message: InboundMessage) -> bool:
    return message.has_audio and not message.text.strip()

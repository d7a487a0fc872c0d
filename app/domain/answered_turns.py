"""The last replies a user's memory was saved with, so that a turn is never counted twice.

Memory and the inbound log are two stores with no transaction between them. A process that
dies after saving the memory of a turn and before storing its reply on the inbound record
leaves a delivery that looks unanswered; Twilio retries it and a second turn would count the
message again. Saving the reply *inside* the memory makes the memory write the turn's commit
point: a re-run finds the reply there, stores it on the record and sends it, with no new turn.

The replies live in `additional_data` so that every store (JSON files, PostgreSQL and its
fallback) keeps them without a schema change. Only the last few are kept: a retry comes
within minutes, a few turns at most after the one that crashed.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from app.domain.memory import UserMemory
from app.domain.messages import Reply

ANSWERED_TURNS_KEY = "_answered_turns"
ANSWERED_TURNS_CAP = 5


class AnsweredTurn(BaseModel):
    model_config = ConfigDict(frozen=True)

    message_id: str  # the message the reply is stored on (a burst's last message)
    reply: Reply


def remember_answer(memory: UserMemory, message_id: str, reply: Reply) -> None:
    """Keep `reply` as the answer to `message_id`, before the memory is saved."""
    kept = [turn for turn in _turns(memory) if turn.message_id != message_id]
    kept.append(AnsweredTurn(message_id=message_id, reply=reply.model_copy(update={"duplicate": False})))
    memory.additional_data[ANSWERED_TURNS_KEY] = [t.model_dump(mode="json") for t in kept[-ANSWERED_TURNS_CAP:]]


def answer_already_given(memory: UserMemory, message_id: str) -> Reply | None:
    """The reply a saved turn gave to `message_id`; None when no saved turn answered it."""
    for turn in reversed(_turns(memory)):
        if turn.message_id == message_id:
            return turn.reply
    return None


def _turns(memory: UserMemory) -> list[AnsweredTurn]:
    stored: Any = memory.additional_data.get(ANSWERED_TURNS_KEY)
    if not isinstance(stored, list):
        return []
    turns = []
    for item in stored:
        try:
            turns.append(AnsweredTurn.model_validate(item))
        except ValidationError:
            continue  # written by another version: only costs the protection for that turn
    return turns

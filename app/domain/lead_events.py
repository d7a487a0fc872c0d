"""Lead events for the sales team's tools (CRM, n8n, Make, Zapier, a Slack bridge).

An event says what happened to a lead and carries the lead's summary as the bot knows it, so
a receiver can act without calling back. Each has a stable id (its idempotency key): the same
fact produces the same id however often a turn is re-run, so a receiver that dedupes on it
acts once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.domain.courses import Course
from app.domain.lead_scoring import LeadStage, stage_for
from app.domain.memory import UserMemory

LAST_MESSAGES = 6
COURSES_IN_SUMMARY = 5


class LeadEventType(StrEnum):
    HANDOFF_OPENED = "handoff.opened"
    STAGE_CHANGED = "lead.stage_changed"
    OPTED_OUT = "contact.opted_out"


class CourseOfInterest(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    price: str | None = None
    currency: str | None = None


class MessageLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: str  # "user" or "assistant"
    text: str
    at: datetime | None = None


class LeadSummary(BaseModel):
    """Who the lead is and where they stand, for a person who picks the conversation up."""

    model_config = ConfigDict(frozen=True)

    user_id: str
    name: str | None = None
    role: str | None = None
    interests: tuple[str, ...] = ()
    pain_points: tuple[str, ...] = ()
    courses: tuple[CourseOfInterest, ...] = ()
    score: int = 0
    stage: LeadStage = LeadStage.FRIO
    marketing_consent: bool = False
    opted_out: bool = False
    messages: int = 0
    first_contact_at: datetime | None = None
    last_contact_at: datetime | None = None
    last_messages: tuple[MessageLine, ...] = ()


class LeadEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str  # idempotency key: the same fact always has the same id
    type: LeadEventType
    occurred_at: datetime
    lead: LeadSummary
    data: dict[str, Any] = Field(default_factory=dict)


def lead_stage(memory: UserMemory) -> LeadStage:
    return LeadStage.BAJA if memory.opted_out else stage_for(memory.lead_score)


def courses_asked_about(memory: UserMemory) -> list[str]:
    """The ids of the courses a lead asked about, then the ones last shown: at most five."""
    return list(dict.fromkeys([*memory.requested_course_ids, *memory.last_course_ids]))[:COURSES_IN_SUMMARY]


def summarize_lead(memory: UserMemory, courses: Mapping[str, Course]) -> LeadSummary:
    """The summary of `memory`; `courses` maps the ids it asked about to the catalogue's
    courses (a course no longer in the catalogue is named by its id)."""
    asked = courses_asked_about(memory)
    return LeadSummary(
        user_id=memory.user_id,
        name=memory.name,
        role=memory.role,
        interests=tuple(memory.interests),
        pain_points=tuple(memory.pain_points),
        courses=tuple(_course_of_interest(course_id, courses.get(course_id)) for course_id in asked),
        score=memory.lead_score,
        stage=lead_stage(memory),
        marketing_consent=memory.marketing_consent,
        opted_out=memory.opted_out,
        messages=memory.interaction_count,
        first_contact_at=memory.first_interaction_at,
        last_contact_at=memory.last_interaction_at,
        last_messages=tuple(
            MessageLine(role=entry.role, text=entry.text, at=entry.at)
            for entry in memory.message_history[-LAST_MESSAGES:]
        ),
    )


def turn_events(before: UserMemory | None, after: UserMemory, summary: LeadSummary, now: datetime) -> list[LeadEvent]:
    """The stage change and the opt-out a turn caused (none when it changed neither)."""
    events: list[LeadEvent] = []
    old_stage = lead_stage(before) if before is not None else None
    new_stage = lead_stage(after)
    if after.opted_out and not (before is not None and before.opted_out):
        moment = after.opted_out_at or now
        events.append(
            LeadEvent(
                id=f"{LeadEventType.OPTED_OUT}:{after.user_id}:{moment.isoformat()}",
                type=LeadEventType.OPTED_OUT,
                occurred_at=moment,
                lead=summary,
            )
        )
    if old_stage != new_stage:
        events.append(
            LeadEvent(
                id=f"{LeadEventType.STAGE_CHANGED}:{after.user_id}:{after.interaction_count}:{new_stage.value}",
                type=LeadEventType.STAGE_CHANGED,
                occurred_at=now,
                lead=summary,
                data={"from": old_stage.value if old_stage else None, "to": new_stage.value},
            )
        )
    return events


def handoff_opened_event(handoff_id: int, reason: str, summary: LeadSummary, now: datetime) -> LeadEvent:
    return LeadEvent(
        id=f"{LeadEventType.HANDOFF_OPENED}:{handoff_id}",
        type=LeadEventType.HANDOFF_OPENED,
        occurred_at=now,
        lead=summary,
        data={"handoff_id": handoff_id, "reason": reason},
    )


def _course_of_interest(course_id: str, course: Course | None) -> CourseOfInterest:
    if course is None:
        return CourseOfInterest(id=course_id, name=course_id)
    return CourseOfInterest(id=course.id, name=course.name, price=course.price, currency=course.currency)

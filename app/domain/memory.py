"""What the bot remembers about each person who writes to it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.domain.intents import Intent

MESSAGE_HISTORY_CAP = 40

# A question the bot asked in its last reply, so that "sí" (or "el de sql") can be understood.
PendingQuestion = Literal["contact", "marketing_consent", "enrol_which"]
PROFILE_LIST_CAP = 12


class HistoryEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: Literal["user", "assistant"]
    text: str
    at: datetime
    intent: Intent | None = None


# The course a student asked to enrol in (the lead is ready to close), in additional_data.
ENROLMENT_KEY = "enrolment_course_id"
# Kept inside additional_data, so that every store (and the guide's columns) keeps it as is.
FOCUS_KEY = "conversation_focus"


class ConversationFocus(BaseModel):
    """What the conversation is about, so that the next short question can be answered.

    The course in focus ("y cuánto cuesta?"), the last list shown (what "el segundo" points
    at), the courses whose card was already sent (a card is shown once) and the facets the
    last answer covered ("¿y el segundo?" asks them again).
    """

    focus_course_id: str | None = None
    # The course in focus before the current one: what "el otro" points at.
    previous_course_id: str | None = None
    last_list_ids: list[str] = Field(default_factory=list)
    shown_card_ids: list[str] = Field(default_factory=list)
    detailed_course_ids: list[str] = Field(default_factory=list)
    last_facets: list[str] = Field(default_factory=list)

    def point_at(self, course_id: str | None) -> None:
        """Move the focus, remembering the course it leaves."""
        if course_id != self.focus_course_id and self.focus_course_id is not None:
            self.previous_course_id = self.focus_course_id
        self.focus_course_id = course_id

    def remember_cards(self, course_ids: list[str], *, detailed: bool) -> None:
        self.shown_card_ids = _merge_capped(self.shown_card_ids, course_ids)
        if detailed:
            self.detailed_course_ids = _merge_capped(self.detailed_course_ids, course_ids)


class UserMemory(BaseModel):
    """The per-user memory of the integration guide, plus the flags marketing relies on.

    Stores that only have the guide's columns keep the typed flags inside
    `additional_data`; the model is the same everywhere.
    """

    user_id: str
    name: str | None = None
    role: str | None = None
    interests: list[str] = Field(default_factory=list)
    pain_points: list[str] = Field(default_factory=list)
    level: str | None = None
    lead_score: int = 0
    interaction_count: int = 0
    first_interaction_at: datetime | None = None
    last_interaction_at: datetime | None = None
    message_history: list[HistoryEntry] = Field(default_factory=list)
    intent_counts: dict[str, int] = Field(default_factory=dict)
    last_course_ids: list[str] = Field(default_factory=list)
    requested_course_ids: list[str] = Field(default_factory=list)
    opted_out: bool = False
    opted_out_at: datetime | None = None
    human_requested: bool = False
    human_requested_at: datetime | None = None
    marketing_consent: bool = False
    consent_asked_at: datetime | None = None
    pending_question: PendingQuestion | None = None
    additional_data: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def remember_message(self, entry: HistoryEntry) -> None:
        """Append to the history, keeping only the most recent entries."""
        self.message_history.append(entry)
        if len(self.message_history) > MESSAGE_HISTORY_CAP:
            del self.message_history[: len(self.message_history) - MESSAGE_HISTORY_CAP]

    def add_interests(self, interests: list[str]) -> None:
        self.interests = _merge_capped(self.interests, interests)

    def add_pain_points(self, pain_points: list[str]) -> None:
        self.pain_points = _merge_capped(self.pain_points, pain_points)

    def count_intent(self, intent: Intent) -> None:
        self.intent_counts[intent.value] = self.intent_counts.get(intent.value, 0) + 1

    def remember_requested_courses(self, course_ids: list[str]) -> None:
        self.requested_course_ids = _merge_capped(self.requested_course_ids, course_ids)

    @property
    def focus(self) -> ConversationFocus:
        """Where the conversation stands (a copy; change it with `update_focus`)."""
        try:
            return ConversationFocus.model_validate(self.additional_data.get(FOCUS_KEY) or {})
        except ValidationError:
            return ConversationFocus()  # written by an older or foreign version: start afresh

    def update_focus(self, focus: ConversationFocus) -> None:
        self.additional_data[FOCUS_KEY] = focus.model_dump(mode="json")

    @property
    def enrolment_course_id(self) -> str | None:
        """The course the student asked to enrol in, if they did."""
        value = self.additional_data.get(ENROLMENT_KEY)
        return value if isinstance(value, str) else None

    def mark_enrolment_request(self, course_id: str) -> None:
        self.additional_data[ENROLMENT_KEY] = course_id

    @property
    def first_name(self) -> str | None:
        return self.name.split()[0] if self.name else None


def _merge_capped(current: list[str], new: list[str]) -> list[str]:
    """Keep order of first appearance, drop duplicates, keep the most recent items."""
    merged = list(current)
    for item in new:
        if item and item not in merged:
            merged.append(item)
    return merged[-PROFILE_LIST_CAP:]

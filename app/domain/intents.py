"""The intent taxonomy shared by the rule classifier and the AI."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Intent(StrEnum):
    GREETING = "GREETING"
    EXPLORATION = "EXPLORATION"
    BUYING_SIGNALS = "BUYING_SIGNALS"
    GENERAL_QUESTION = "GENERAL_QUESTION"
    AUTOMATION_NEED = "AUTOMATION_NEED"
    PROFESSION_CHANGE = "PROFESSION_CHANGE"
    PRICE_OBJECTION = "PRICE_OBJECTION"
    TIME_OBJECTION = "TIME_OBJECTION"
    CONTACT_REQUEST = "CONTACT_REQUEST"
    FREE_RESOURCES = "FREE_RESOURCES"
    OPT_OUT = "OPT_OUT"
    OFF_TOPIC = "OFF_TOPIC"


# Intents whose answer carries course information (the integration guide's list).
COURSE_RELEVANT_INTENTS: frozenset[Intent] = frozenset(
    {
        Intent.EXPLORATION,
        Intent.BUYING_SIGNALS,
        Intent.GENERAL_QUESTION,
        Intent.AUTOMATION_NEED,
        Intent.PROFESSION_CHANGE,
    }
)


class IntentResult(BaseModel):
    """A classification with how sure the classifier is and which rules fired."""

    model_config = ConfigDict(frozen=True)

    intent: Intent
    confidence: float = Field(ge=0.0, le=1.0)
    matched_rules: tuple[str, ...] = ()

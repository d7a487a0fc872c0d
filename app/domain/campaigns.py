"""Follow-up campaigns: who may get an approved WhatsApp template, and with which values.

Outside WhatsApp's 24-hour customer-service window only approved templates are delivered (a
free-text body fails with Twilio's 63016), so a campaign is a template id (`HX...`) plus the
values of its placeholders, taken from what the bot knows about each lead. Pure rules here:
eligibility (marketing consent, not opted out), the lead fields a placeholder may use, and
the values as WhatsApp accepts them.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.domain.lead_scoring import LeadStage
from app.domain.outgoing import PartState

CAMPAIGN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
CONTENT_SID = re.compile(r"^HX[0-9a-fA-F]{32}$")
PLACEHOLDER = re.compile(r"^[A-Za-z0-9_]{1,40}$")
# WhatsApp refuses a template parameter with a newline or tab, or more than four spaces in a
# row; names and courses come from strangers and from the catalogue, so they are flattened.
MAX_VARIABLE_CHARS = 200
_WHITESPACE = re.compile(r"\s+")


# A campaign send moves through the states of a reply part: pending, sending (recorded before
# the request), sent (with the provider's id) or failed.
SendState = PartState


class LeadField(StrEnum):
    """What a template placeholder can be filled with."""

    FIRST_NAME = "first_name"
    NAME = "name"
    COURSE = "course"  # the name of the course they asked about most recently
    INTEREST = "interest"  # their most recent interest
    ROLE = "role"
    STAGE = "stage"  # frío, tibio, caliente, listo para cerrar
    SCORE = "score"  # score today


class Exclusion(StrEnum):
    """Why a contact on the list gets nothing; the values are what the marketer reads."""

    OPTED_OUT = "dado de baja"
    NO_CONSENT = "sin consentimiento de marketing"
    MISSING_VALUE = "sin dato para una variable"


class VariableSpec(BaseModel):
    """`--var 2=course:nuestros cursos`: placeholder 2 gets the lead's course, or the default."""

    model_config = ConfigDict(frozen=True)

    placeholder: str = Field(pattern=PLACEHOLDER.pattern)
    field: LeadField
    default: str | None = None

    @field_validator("default")
    @classmethod
    def _usable_default(cls, value: str | None) -> str | None:
        if value is not None and not clean_value(value):
            raise ValueError("a default must not be empty")
        return value


class CampaignContact(BaseModel):
    """One lead on a campaign's list, as of the run, with this campaign's record of them."""

    model_config = ConfigDict(frozen=True)

    user_id: str
    name: str | None = None
    role: str | None = None
    interests: tuple[str, ...] = ()
    score: int = 0
    stage: LeadStage = LeadStage.FRIO
    course_name: str | None = None
    marketing_consent: bool = False
    opted_out: bool = False
    send_state: SendState | None = None  # None: this campaign has no row for them yet


class RenderedVariables(BaseModel):
    model_config = ConfigDict(frozen=True)

    values: dict[str, str]
    missing: tuple[str, ...] = ()  # placeholders with neither a value nor a default


def exclusion_for(contact: CampaignContact) -> Exclusion | None:
    """Opted out first: someone who said "no me escriban más" never gets a campaign, even
    with an old consent still recorded."""
    if contact.opted_out:
        return Exclusion.OPTED_OUT
    if not contact.marketing_consent:
        return Exclusion.NO_CONSENT
    return None


def field_value(contact: CampaignContact, field: LeadField) -> str | None:
    name = clean_value(contact.name or "")
    match field:
        case LeadField.FIRST_NAME:
            return name.split(" ")[0] if name else None
        case LeadField.NAME:
            return name or None
        case LeadField.COURSE:
            return contact.course_name
        case LeadField.INTEREST:
            return contact.interests[-1] if contact.interests else None
        case LeadField.ROLE:
            return contact.role
        case LeadField.STAGE:
            return contact.stage.value
        case LeadField.SCORE:
            return str(contact.score)


def render_variables(contact: CampaignContact, specs: tuple[VariableSpec, ...]) -> RenderedVariables:
    values: dict[str, str] = {}
    missing: list[str] = []
    for spec in specs:
        value = clean_value(field_value(contact, spec.field) or "") or clean_value(spec.default or "")
        if value:
            values[spec.placeholder] = value
        else:
            missing.append(spec.placeholder)
    return RenderedVariables(values=values, missing=tuple(missing))


def clean_value(text: str) -> str:
    """One line, single spaces, at most MAX_VARIABLE_CHARS: what WhatsApp accepts."""
    return _WHITESPACE.sub(" ", text).strip()[:MAX_VARIABLE_CHARS].strip()

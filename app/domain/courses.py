"""The school's catalogue as the domain sees it, whatever store it comes from."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Level(StrEnum):
    PRINCIPIANTE = "principiante"
    INTERMEDIO = "intermedio"
    AVANZADO = "avanzado"


class Modality(StrEnum):
    ONLINE = "online"
    PRESENCIAL = "presencial"
    HIBRIDO = "híbrido"


class CourseActivity(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    session_id: str | None = None
    item_type: str | None = None
    title: str


class CourseSession(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    index: int
    title: str
    objective: str | None = None
    duration_minutes: int | None = None
    starts_on: date | None = None
    activities: tuple[CourseActivity, ...] = ()


class CourseBonus(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    content: str
    bonus_type: str | None = None


_PRICE_NUMBER = re.compile(r"\d[\d.,]*")


def parse_price(raw: str | None) -> Decimal | None:
    """Read a VARCHAR price ("299", "$1.299,00", "USD 49.99") as a number, or None.

    The school's column is free text, so a price is only a number when one can be read
    without guessing; otherwise the raw text is shown as it is.
    """
    if not raw:
        return None
    match = _PRICE_NUMBER.search(raw)
    if match is None:
        return None
    number = match.group(0).rstrip(".,")
    if "," in number and "." in number:
        # The right-most separator is the decimal one: "1.299,00" or "1,299.00".
        if number.rfind(",") > number.rfind("."):
            number = number.replace(".", "").replace(",", ".")
        else:
            number = number.replace(",", "")
    elif "," in number:
        head, _, tail = number.rpartition(",")
        number = f"{head.replace(',', '')}.{tail}" if len(tail) != 3 else number.replace(",", "")
    elif number.count(".") > 1 or (number.count(".") == 1 and len(number.rpartition(".")[2]) == 3):
        number = number.replace(".", "")
    try:
        return Decimal(number)
    except InvalidOperation:
        return None


class Course(BaseModel):
    """One course with everything a reply may state about it."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    short_description: str | None = None
    long_description: str | None = None
    session_count: int | None = Field(default=None, ge=0)
    price: str | None = None
    currency: str | None = None
    level: str | None = None
    modality: str | None = None
    category: str | None = None
    tags: tuple[str, ...] = ()
    duration_hours: int | None = None
    start_date: date | None = None
    sessions: tuple[CourseSession, ...] = ()
    bonuses: tuple[CourseBonus, ...] = ()

    @property
    def price_amount(self) -> Decimal | None:
        return parse_price(self.price)

    @property
    def price_label(self) -> str | None:
        """The price as a student should read it: "$299 USD", "gratis", or the raw text."""
        amount = self.price_amount
        if amount is None:
            return self.price or None
        if amount == 0:
            return "gratis"
        shown = f"{amount:,.2f}" if amount % 1 else f"{amount:,.0f}"
        currency = f" {self.currency}" if self.currency else ""
        return f"${shown}{currency}"


class CourseFilters(BaseModel):
    """Filters for listing courses; every field is optional."""

    model_config = ConfigDict(frozen=True)

    level: Level | None = None
    modality: Modality | None = None
    max_price: Decimal | None = None
    category: str | None = None


class CourseStatistics(BaseModel):
    model_config = ConfigDict(frozen=True)

    total_courses: int
    by_level: dict[str, int] = {}
    by_modality: dict[str, int] = {}
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    currencies: tuple[str, ...] = ()
    total_sessions: int = 0

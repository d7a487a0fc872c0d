"""The school's own answers to questions that are not course fields (payment, refunds...).

The school writes them, one short Spanish answer per topic, in a file it can edit
(app/infrastructure/school_knowledge/). The bot states them word for word and nothing
beyond them: a topic without an entry gets an honest "no tengo ese dato".
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.domain.facets import Facet

MAX_ANSWER_CHARS = 400


class KnowledgeEntry(BaseModel):
    """One topic and the school's answer to it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    topic: Facet
    answer: str = Field(min_length=10, max_length=MAX_ANSWER_CHARS)

    @field_validator("answer")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        stripped = " ".join(value.split())
        if len(stripped) < 10:
            raise ValueError("the answer is empty or too short")
        return stripped


class SchoolKnowledge(BaseModel):
    """Every answer the school gave; at most one per topic."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    school_name: str | None = None
    entries: tuple[KnowledgeEntry, ...] = ()

    @model_validator(mode="after")
    def _one_entry_per_topic(self) -> SchoolKnowledge:
        seen: set[Facet] = set()
        for entry in self.entries:
            if entry.topic in seen:
                raise ValueError(f"topic {entry.topic.value!r} appears more than once")
            seen.add(entry.topic)
        return self

    def answer_for(self, facet: Facet) -> str | None:
        return next((entry.answer for entry in self.entries if entry.topic == facet), None)

    def answers_for(self, facets: Iterable[Facet]) -> tuple[str, ...]:
        """The school's answers for these facets, in their order, skipping topics it has none for."""
        answers = (self.answer_for(facet) for facet in facets)
        return tuple(answer for answer in answers if answer is not None)

    @property
    def all_answers(self) -> tuple[str, ...]:
        return tuple(entry.answer for entry in self.entries)

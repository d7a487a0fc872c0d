"""A scripted pipeline on fakes of every port, shared by the use-case tests."""

import asyncio
from datetime import UTC, datetime

from app.application.process_message import ProcessIncomingMessage
from app.application.query_courses import QueryCourseInformation
from app.domain.intents import Intent, IntentResult
from app.domain.messages import InboundMessage
from app.domain.profile import ProfileUpdate
from app.infrastructure.templates.spanish import SpanishTemplates
from tests.fakes import FakeCourseRepository, FakeInboundLog, FakeMemoryRepository

NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)
USER = "whatsapp:+573001112233"


class ScriptedClassifier:
    """Classifies by a keyword table so each test states the intent it needs."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def classify(self, text: str) -> IntentResult:
        self.calls.append(text)
        table = {
            "hola": Intent.GREETING,
            "cursos": Intent.EXPLORATION,
            "baja": Intent.OPT_OUT,
            "asesor": Intent.CONTACT_REQUEST,
            "cuesta": Intent.GENERAL_QUESTION,
        }
        for word, intent in table.items():
            if word in text.lower():
                return IntentResult(intent=intent, confidence=0.9)
        return IntentResult(intent=Intent.OFF_TOPIC, confidence=0.2)


class NameExtractor:
    def extract(self, text: str) -> ProfileUpdate:
        return ProfileUpdate(name="Carolina") if "carolina" in text.lower() else ProfileUpdate()


def build_pipeline(sample_courses):
    memory, inbound, classifier = FakeMemoryRepository(), FakeInboundLog(), ScriptedClassifier()
    use_case = ProcessIncomingMessage(
        courses=QueryCourseInformation(FakeCourseRepository(sample_courses)), memory=memory,
        inbound_log=inbound, classifier=classifier, extractor=NameExtractor(), templates=SpanishTemplates(),
        clock=lambda: NOW, mode=lambda: "basic",
    )  # fmt: skip
    return use_case, memory, classifier


def send(use_case, text, sid="SM1", media=0):
    message = InboundMessage(message_id=sid, user_id=USER, text=text, media_count=media, received_at=NOW)
    return asyncio.run(use_case.execute(message))

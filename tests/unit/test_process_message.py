import asyncio
from datetime import UTC, datetime

import pytest

from app.application.process_message import ProcessIncomingMessage
from app.application.query_courses import QueryCourseInformation
from app.domain.intents import Intent, IntentResult
from app.domain.messages import MAX_PROCESSED_CHARS, InboundMessage
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
        table = {"hola": Intent.GREETING, "cursos": Intent.EXPLORATION, "baja": Intent.OPT_OUT,
                 "asesor": Intent.CONTACT_REQUEST, "cuesta": Intent.GENERAL_QUESTION}
        for word, intent in table.items():
            if word in text.lower():
                return IntentResult(intent=intent, confidence=0.9)
        return IntentResult(intent=Intent.OFF_TOPIC, confidence=0.2)


class NameExtractor:
    def extract(self, text: str) -> ProfileUpdate:
        return ProfileUpdate(name="Carolina") if "carolina" in text.lower() else ProfileUpdate()


@pytest.fixture
def pipeline(sample_courses):
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


def test_greeting_is_answered_and_remembered(pipeline):
    use_case, memory, _ = pipeline
    reply = send(use_case, "Hola, soy Carolina")
    assert reply.intent == Intent.GREETING
    assert reply.text.startswith("¡Hola, Carolina! 👋")
    assert reply.mode == "basic"
    stored = memory.saved[USER]
    assert stored.name == "Carolina"
    assert stored.interaction_count == 1
    assert [e.role for e in stored.message_history] == ["user", "assistant"]


def test_duplicate_delivery_gets_the_same_reply_and_no_second_turn(pipeline):
    use_case, memory, classifier = pipeline
    first = send(use_case, "qué cursos tienen", sid="SMdup")
    second = send(use_case, "qué cursos tienen", sid="SMdup")
    assert second.duplicate and not first.duplicate
    assert second.text == first.text and second.course_ids == first.course_ids
    assert memory.saved[USER].interaction_count == 1
    assert len(classifier.calls) == 1


def test_exploration_lists_catalogue_courses_then_an_ordinal_picks_one(pipeline, sample_courses):
    use_case, memory, _ = pipeline
    listed = send(use_case, "qué cursos tienen?", sid="SM1")
    assert listed.course_ids == tuple(c.id for c in sample_courses)
    assert "*1. 📚 Python desde cero*" in listed.text
    detail = send(use_case, "cuánto cuesta el segundo?", sid="SM2")
    assert detail.course_ids == ("c-excel",)
    assert "💰 Precio: $199 USD" in detail.text
    assert memory.saved[USER].requested_course_ids == ["c-excel"]


def test_opt_out_is_confirmed_and_recorded(pipeline):
    use_case, memory, _ = pipeline
    reply = send(use_case, "dame de baja")
    assert reply.intent == Intent.OPT_OUT
    assert "no te enviaremos más mensajes" in reply.text
    assert memory.saved[USER].opted_out and not memory.saved[USER].marketing_consent
    assert reply.lead_score == 0


def test_contact_request_is_flagged_for_a_person(pipeline):
    use_case, memory, _ = pipeline
    reply = send(use_case, "quiero hablar con un asesor")
    assert "asesor" in reply.text
    assert memory.saved[USER].human_requested is True


def test_media_only_message_gets_a_text_please_reply_without_classifying(pipeline):
    use_case, _, classifier = pipeline
    reply = send(use_case, "", media=1)
    assert "solo puedo leer mensajes de texto" in reply.text
    assert classifier.calls == []


def test_empty_and_emoji_only_messages_get_a_clear_answer(pipeline):
    use_case, _, _ = pipeline
    assert "llegó vacío" in send(use_case, "   ", sid="SMe").text
    assert send(use_case, "🙂🙂", sid="SMf").parts


def test_huge_message_is_processed_within_limits(pipeline):
    use_case, memory, classifier = pipeline
    reply = send(use_case, "cursos " + "x" * 5000)
    assert reply.parts and all(len(p) <= 1600 for p in reply.parts)
    assert len(classifier.calls[0]) == MAX_PROCESSED_CHARS
    assert len(memory.saved[USER].message_history[0].text) == MAX_PROCESSED_CHARS


def test_memory_store_down_still_answers(pipeline):
    use_case, memory, _ = pipeline
    memory.fail = True
    reply = send(use_case, "hola")
    assert reply.intent == Intent.GREETING and reply.text


def test_interaction_count_and_score_grow_over_a_conversation(pipeline):
    use_case, memory, _ = pipeline
    for i, text in enumerate(["hola soy Carolina", "qué cursos tienen", "cuánto cuesta el primero"]):
        reply = send(use_case, text, sid=f"SM{i}")
    stored = memory.saved[USER]
    assert stored.interaction_count == 3
    assert reply.lead_score == stored.lead_score > 0

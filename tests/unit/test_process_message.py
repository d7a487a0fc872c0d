import pytest

from app.application.errors import StoreUnavailableError
from app.domain.intents import Intent
from app.domain.messages import MAX_PROCESSED_CHARS
from tests.unit.pipeline import USER, send


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
    # The price asked, about the course pointed at: a short answer, not its card again.
    assert detail.text == "*Automatización de reportes de Excel* cuesta $199 USD."
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


def test_a_memory_update_that_fails_is_not_followed_by_a_reply(pipeline):
    """The turn is not saved: no reply pretends it was (the webhook answers 503, Twilio retries),
    and the retry, with the store back, answers and counts the message once."""
    use_case, memory, _ = pipeline
    memory.fail = True
    with pytest.raises(StoreUnavailableError):
        send(use_case, "hola")
    memory.fail = False
    reply = send(use_case, "hola")
    assert reply.intent == Intent.GREETING and reply.text and not reply.duplicate
    assert memory.saved[USER].interaction_count == 1


def test_interaction_count_and_score_grow_over_a_conversation(pipeline):
    use_case, memory, _ = pipeline
    for i, text in enumerate(["hola soy Carolina", "qué cursos tienen", "cuánto cuesta el primero"]):
        reply = send(use_case, text, sid=f"SM{i}")
    stored = memory.saved[USER]
    assert stored.interaction_count == 3
    assert reply.lead_score == stored.lead_score > 0

"""Tappable replies and taps: WhatsApp's limits, the webhook's fields, and what a tap means to
the conversation (basic mode on the bundled catalogue, the rules the student meets without AI)."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from app.bootstrap.mode import build_container
from app.domain.interactive import (
    BODY_MAX,
    LIST_PROMPT,
    Interactive,
    Tap,
    attach_to_parts,
    course_list,
    yes_no,
)
from app.domain.memory import UserMemory
from app.domain.messages import InboundMessage, Reply, merge_burst
from app.entrypoints.web.twilio_form import TwilioInboundForm

NOW = datetime(2026, 12, 1, 15, tzinfo=UTC)
_ids = itertools.count()


def courses(n: int) -> list[tuple[str, str, str]]:
    return [(f"id-{i}", f"Curso número {i} de programación avanzada", "Descripción " * 10) for i in range(n)]


def test_a_course_list_keeps_to_whatsapps_limits_and_sizes():
    assert course_list("hola", courses(1)) is None and course_list("hola", courses(11)) is None
    picker = course_list("Te muestro:", courses(10))
    assert picker is not None and picker.kind == "list-picker" and len(picker.choices) == 10
    assert all(len(c.title) <= 24 and len(c.description) <= 72 for c in picker.choices)
    assert [c.id for c in picker.choices] == [f"id-{i}" for i in range(10)]
    assert course_list("x" * (BODY_MAX + 1), courses(2)).body == LIST_PROMPT  # type: ignore[union-attr]


def test_one_content_serves_every_text_with_the_same_choices():
    one, other = course_list("uno", courses(3)), course_list("otro texto", courses(3))
    assert one is not None and other is not None
    assert one.content_key() == other.content_key()
    assert one.content_key() != course_list("uno", courses(4)).content_key()  # type: ignore[union-attr]
    assert yes_no("¿Sí?", "contact").content_key() != yes_no("¿Sí?", "marketing_consent").content_key()


def test_the_last_part_carries_the_tappable_form_or_a_short_tappable_part_follows():
    picker = course_list("cualquiera", courses(2))
    assert picker is not None
    paired = attach_to_parts(("primera", "segunda"), picker)
    assert paired[0] == ("primera", None)
    assert paired[1][0] == "segunda" and paired[1][1] == picker.with_body("segunda")
    long_last = attach_to_parts(("y" * 1500,), picker)
    assert len(long_last) == 2 and long_last[0] == ("y" * 1500, None)
    text, tappable = long_last[1]
    assert isinstance(tappable, Interactive) and tappable.body == LIST_PROMPT
    assert text.startswith(LIST_PROMPT) and "\n1. " in text and "\n2. " in text  # the text form numbers them
    assert attach_to_parts(("hola",), None) == [("hola", None)]


def test_a_tap_names_its_question_or_its_course():
    assert Tap(payload="marketing_consent:yes").answer == ("marketing_consent", True)
    assert Tap(payload="contact:no").answer == ("contact", False)
    assert Tap(payload="contact:yes").course_id is None
    assert Tap(payload="b926c453-2726-5266-a90b-798af1000da3").course_id == "b926c453-2726-5266-a90b-798af1000da3"
    assert Tap(payload="unknown_question:yes").answer is None


def form(**fields: str) -> TwilioInboundForm:
    return TwilioInboundForm.model_validate({"MessageSid": "SM1", "From": "whatsapp:+573001112233", **fields})


def test_the_webhook_reads_list_and_button_taps_and_voice_notes():
    listed = form(Body="Python desde Cero", MessageType="interactive", ListId="course-7", ListTitle="Python desde Cero")
    assert listed.to_inbound(NOW).tap == Tap(payload="course-7", title="Python desde Cero")
    button = form(Body="Sí", MessageType="button", ButtonPayload="marketing_consent:yes", ButtonText="Sí")
    assert button.to_inbound(NOW).tap == Tap(payload="marketing_consent:yes", title="Sí")
    assert form(Body="hola", MessageType="text").to_inbound(NOW).tap is None
    voice = form(
        NumMedia="2", MessageType="audio", MediaContentType0="audio/ogg", MediaUrl0="https://api.twilio.com/a",
        MediaContentType1="image/jpeg", MediaUrl1="https://api.twilio.com/b",
    ).to_inbound(NOW)  # fmt: skip
    assert voice.has_audio and voice.audio_url() == "https://api.twilio.com/a"
    assert voice.media_urls == ("https://api.twilio.com/a", "https://api.twilio.com/b")


def test_an_unknown_message_type_is_logged_once_and_read_as_text(caplog: pytest.LogCaptureFixture):
    with caplog.at_level(logging.WARNING, logger="app.entrypoints.web.twilio_form"):
        first = form(Body="hola", MessageType="hologram").to_inbound(NOW)
        form(Body="hola", MessageType="hologram").to_inbound(NOW)
    assert first.text == "hola" and first.tap is None
    logged = [r.getMessage() for r in caplog.records]
    assert logged.count("WhatsApp message type 'hologram' is new to this bot; read as its text") == 1


def test_a_burst_keeps_its_tap_and_media():
    tapped = InboundMessage(message_id="2", user_id="u", text="Sí", received_at=NOW, tap=Tap(payload="contact:yes"))
    plain = InboundMessage(message_id="1", user_id="u", text="hola", received_at=NOW)
    assert merge_burst((plain, tapped)).tap == Tap(payload="contact:yes")


@pytest.fixture
def chat(make_settings) -> Callable[..., Reply]:  # type: ignore[no-untyped-def]
    container = build_container(make_settings(database_url=None, openai_api_key=None))
    user = f"whatsapp:+52155511{next(_ids):04d}"

    def send(text: str, tap: str | None = None) -> Reply:
        message = InboundMessage(
            message_id=f"SM{next(_ids)}", user_id=user, text=text, received_at=NOW,
            tap=Tap(payload=tap, title=text) if tap else None,
        )  # fmt: skip
        return container.handle_message(message, timeout=30)

    send.memory = lambda: container.run(container.memory_repository.load_user_memory(user))  # type: ignore[attr-defined]
    yield send
    container.close()


def memory_of(chat: Callable[..., Reply]) -> UserMemory:
    return chat.memory()  # type: ignore[attr-defined]


def test_a_course_list_reply_carries_a_list_picker_of_its_courses(chat):
    listed = chat("hola, soy contador y quiero aprender programación, ¿qué cursos tienen?")
    assert listed.interactive is not None and listed.interactive.kind == "list-picker"
    assert [c.id for c in listed.interactive.choices] == list(listed.course_ids)
    assert listed.interactive.body == listed.parts[-1]


def test_a_tapped_course_becomes_the_focus_and_is_answered_about(chat):
    listed = chat("hola, soy contador y quiero aprender programación, ¿qué cursos tienen?")
    chosen = listed.interactive.choices[2]
    reply = chat(chosen.title, tap=chosen.id)
    assert reply.course_ids == (chosen.id,)
    assert memory_of(chat).focus.focus_course_id == chosen.id
    price = chat("cuanto cuesta?")  # the follow-up is about the tapped course
    assert price.course_ids == (chosen.id,)


def test_a_tap_on_a_course_no_longer_offered_is_read_as_its_text(chat):
    reply = chat("Curso retirado", tap="00000000-0000-0000-0000-000000000000")
    assert "00000000" not in reply.text and memory_of(chat).focus.focus_course_id is None


def ask_consent(chat) -> Reply:  # type: ignore[no-untyped-def]
    chat("hola, soy contador")
    chat("quiero aprender programación")
    asked = chat("que cursos de python tienen?")
    assert memory_of(chat).pending_question == "marketing_consent", asked.text
    return asked


def test_the_consent_question_carries_yes_no_buttons_and_a_tapped_si_records_consent(chat):
    asked = ask_consent(chat)
    assert asked.interactive is not None and asked.interactive.kind == "quick-reply"
    assert [c.id for c in asked.interactive.choices] == ["marketing_consent:yes", "marketing_consent:no"]
    chat("Sí", tap="marketing_consent:yes")
    assert memory_of(chat).marketing_consent is True


def test_a_question_typed_after_the_consent_question_is_not_consent(chat):
    ask_consent(chat)
    chat("ok y cuanto cuesta")
    assert memory_of(chat).marketing_consent is False


def test_an_old_consent_button_tapped_after_another_question_answers_its_own_question(chat):
    ask_consent(chat)
    chat("quiero inscribirme en python desde cero, cuanto cuesta?")  # the bot now asks about an advisor
    assert memory_of(chat).pending_question == "contact"
    chat("Sí", tap="marketing_consent:yes")  # the consent button of the earlier reply
    memory = memory_of(chat)
    assert memory.marketing_consent is True and memory.human_requested is False


def test_a_course_card_offers_its_next_steps_and_each_tap_reads_as_what_it_says(chat):
    listed = chat("hola, soy contador y quiero aprender programación, ¿qué cursos tienen?")
    chosen = listed.interactive.choices[1]
    card = chat(chosen.title, tap=chosen.id)
    assert card.interactive is not None and card.interactive.kind == "quick-reply"
    titles = [c.title for c in card.interactive.choices]
    assert titles == ["Quiero inscribirme", "Hablar con asesor", "Ver otros cursos"]
    enroll = chat("Quiero inscribirme", tap="next:enroll")
    assert enroll.course_ids == (chosen.id,) and memory_of(chat).pending_question == "contact"
    assert [c.id for c in enroll.interactive.choices] == ["contact:yes", "contact:no"]  # type: ignore[union-attr]
    chat("Sí", tap="contact:yes")
    assert memory_of(chat).human_requested is True


def test_a_next_step_tap_is_not_a_course():
    assert Tap(payload="next:more").course_id is None and Tap(payload="next:more").stands_for

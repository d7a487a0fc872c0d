"""WhatsApp-native conversation on a real PostgreSQL, end to end in one process: signed webhooks
into the Flask app, the queue worker, the fake Twilio (every request checked against twilio-oai's
descriptions) and, for voice notes, the fake OpenAI through the real openai client."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta

import psycopg
import pytest
from pydantic import SecretStr
from twilio.request_validator import RequestValidator

from app.bootstrap.worker import WorkerRuntime, build_worker
from app.config import Settings
from app.domain.memory import FOCUS_KEY
from app.entrypoints.web.app import create_app
from app.infrastructure.postgres.client import PostgresClient
from app.infrastructure.postgres.whatsapp_contents import PostgresContentStore
from tests.ai.fake_openai import FakeOpenAI
from tests.audio import ogg_opus
from tests.twilio_fake import ACCOUNT_SID, AUTH_TOKEN, SENDER, SentMessage, TwilioFake, fail

PUBLIC = "https://bot.escuela.example"
ASK_COURSES = "hola, soy contador y quiero aprender programación, ¿qué cursos tienen?"


def new_sid(prefix: str = "SM") -> str:
    return prefix + uuid.uuid4().hex


class Student:
    """One WhatsApp number writing to the bot through the signed webhook."""

    def __init__(self, client, fake: TwilioFake, number: str) -> None:  # type: ignore[no-untyped-def]
        self._client, self._fake, self.number = client, fake, number

    def send(self, body: str, **fields: str) -> str:
        sid = new_sid()
        params = {"MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": self.number, "To": SENDER, "Body": body,
                  "NumMedia": "0", "MessageType": "text", **fields}  # fmt: skip
        signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC + "/webhook/whatsapp", params)
        answer = self._client.post("/webhook/whatsapp", data=params, headers={"X-Twilio-Signature": signature})
        assert answer.status_code == 200, answer.data
        return sid

    def send_voice_note(self, audio: bytes) -> str:
        """A WhatsApp voice note: the audio at the fake Twilio's media URL, announced by the webhook."""
        url = self._fake.add_media(audio, "audio/ogg")
        return self.send("", NumMedia="1", MessageType="audio", MediaContentType0="audio/ogg", MediaUrl0=url)

    def reply(self, after: int, timeout: float = 20.0) -> list[SentMessage]:
        """The messages sent to this student once more than `after` have arrived."""
        return self._fake.wait_for_sent(after + 1, to=self.number, timeout=timeout)[after:]


@pytest.fixture
def whatsapp(rest_settings: Settings, twilio_fake: TwilioFake) -> Iterator[Callable[..., Student]]:
    """Students, the web app and a running worker; settings overridable per test."""
    made: list[tuple[object, WorkerRuntime]] = []

    def student(number: str = "whatsapp:+573001230001", **overrides: object) -> Student:
        if not made:
            settings = rest_settings.model_copy(update={"public_base_url": PUBLIC, **overrides})
            app = create_app(settings)
            worker = build_worker(settings)
            worker.start()
            made.append((app, worker))
        app, _ = made[0]
        return Student(app.test_client(), twilio_fake, number)  # type: ignore[attr-defined]

    yield student
    for app, worker in made:
        worker.close()
        app.extensions["intake"].close()  # type: ignore[attr-defined]


def memory_row(settings: Settings, user: str) -> dict[str, object]:
    assert settings.database_url is not None
    with psycopg.connect(settings.database_url.get_secret_value()) as connection:
        row = connection.execute(
            "SELECT marketing_consent, human_requested, additional_data FROM user_memory WHERE user_id = %s", (user,)
        ).fetchone()
    assert row is not None
    return {"marketing_consent": row[0], "human_requested": row[1], "additional_data": row[2]}


def test_a_recommendation_arrives_as_a_list_picker_and_a_tapped_course_is_answered(
    whatsapp, twilio_fake: TwilioFake, rest_settings: Settings
):
    student = whatsapp()
    first = student.send(ASK_COURSES)
    [listed] = student.reply(after=0)
    assert listed.content_sid in twilio_fake.contents  # sent as the Content resource just made
    content = twilio_fake.contents[listed.content_sid]
    picker = content["types"]["twilio/list-picker"]
    assert picker["body"] == "{{1}}" and len(picker["items"]) >= 2
    assert listed.body == json.loads(listed.content_variables or "{}")["1"]  # the text, as the body
    assert "*1. " in listed.body and "*2. " in listed.body  # which is the numbered text form too
    assert first in twilio_fake.typing

    chosen = picker["items"][1]
    student.send(chosen["item"], MessageType="interactive", ListId=chosen["id"], ListTitle=chosen["item"])
    [about] = student.reply(after=1)
    steps = twilio_fake.contents[about.content_sid or ""]["types"]["twilio/quick-reply"]["actions"]
    assert [b["id"] for b in steps] == ["next:enroll", "next:advisor", "next:more"]  # one course: its next steps
    focus = memory_row(rest_settings, student.number)["additional_data"][FOCUS_KEY]  # type: ignore[index]
    assert focus["focus_course_id"] == chosen["id"]
    assert chosen["item"].rstrip("…") in about.body

    student.send("¿cuánto cuesta?")
    [price] = student.reply(after=2)
    assert "cuesta $" in price.body and chosen["item"].rstrip("…")[:15] in price.body


def test_a_tapped_si_to_the_consent_question_records_consent(whatsapp, twilio_fake: TwilioFake, rest_settings):
    student = whatsapp("whatsapp:+573001230002")
    for n, text in enumerate(("hola, soy contador", "quiero aprender programación", "que cursos de python tienen?")):
        student.send(text)
        [last] = student.reply(after=n)
    assert last.content_sid is not None
    buttons = twilio_fake.contents[last.content_sid]["types"]["twilio/quick-reply"]["actions"]
    assert [b["id"] for b in buttons] == ["marketing_consent:yes", "marketing_consent:no"]
    assert memory_row(rest_settings, student.number)["marketing_consent"] is False

    student.send("Sí", MessageType="button", ButtonPayload="marketing_consent:yes", ButtonText="Sí")
    student.reply(after=3)
    assert memory_row(rest_settings, student.number)["marketing_consent"] is True


def test_a_content_api_failure_sends_the_numbered_text_and_the_next_list_is_tappable(whatsapp, twilio_fake: TwilioFake):
    twilio_fake.script_content(fail(500, 20500, "Content API down"))
    student = whatsapp("whatsapp:+573001230003")
    student.send(ASK_COURSES)
    [fallback] = student.reply(after=0)
    assert fallback.content_sid is None and "*1. " in fallback.body and "*2. " in fallback.body
    assert twilio_fake.contents == {}

    other = whatsapp("whatsapp:+573001230004")
    other.send(ASK_COURSES)
    [tappable] = other.reply(after=0)
    assert tappable.content_sid in twilio_fake.contents


def test_the_same_list_for_many_students_is_one_content_resource(whatsapp, twilio_fake: TwilioFake):
    students = [whatsapp(f"whatsapp:+5730012301{n:02d}") for n in range(6)]
    for student in students:
        student.send(ASK_COURSES)
    sent = [student.reply(after=0)[0] for student in students]
    assert len({m.content_sid for m in sent}) == 1 and len(twilio_fake.contents) == 1


def test_a_voice_note_is_transcribed_and_answered(whatsapp, twilio_fake: TwilioFake, rest_settings: Settings):
    ai = FakeOpenAI().start()
    ai.models_refusing_ogg = {"gpt-4o-mini-transcribe"}  # as some of OpenAI's models do
    try:
        student = whatsapp("whatsapp:+573001230005", openai_api_key=SecretStr("test-key"), openai_base_url=ai.base_url)
        student.send_voice_note(ogg_opus(2.0))
        [answer] = student.reply(after=0, timeout=30)
    finally:
        ai.close()
    heard = [(t.model, t.language, t.filename, t.content_type, t.ogg_opus) for t in ai.transcriptions]
    assert heard == [
        ("gpt-4o-mini-transcribe", "es", "voice-note.ogg", "audio/ogg", True),  # refused: Ogg/Opus
        ("whisper-1", "es", "voice-note.ogg", "audio/ogg", True),
    ]
    assert "no puedo escucharlo" not in answer.body
    assert any(
        entry["text"] == ai.transcript for entry in _history(rest_settings, student.number) if entry["role"] == "user"
    )


def test_without_ai_a_voice_note_is_declined_politely_and_recorded(whatsapp, twilio_fake: TwilioFake, rest_settings):
    student = whatsapp("whatsapp:+573001230006")
    sid = student.send_voice_note(ogg_opus(1.0))
    [answer] = student.reply(after=0)
    assert "no puedo escucharlo" in answer.body and "escribes" in answer.body
    assert rest_settings.database_url is not None
    with psycopg.connect(rest_settings.database_url.get_secret_value()) as connection:
        answered = connection.execute(
            "SELECT answered_at IS NOT NULL, media_types FROM conversation_messages WHERE message_sid = %s", (sid,)
        ).fetchone()
    assert answered == (True, ["audio/ogg"])


def _history(settings: Settings, user: str) -> list[dict[str, str]]:
    assert settings.database_url is not None
    with psycopg.connect(settings.database_url.get_secret_value()) as connection:
        row = connection.execute("SELECT message_history FROM user_memory WHERE user_id = %s", (user,)).fetchone()
    assert row is not None
    return list(row[0])


def test_the_content_store_lets_one_worker_create_and_takes_over_a_dead_claim(engine, rest_settings: Settings):
    assert rest_settings.database_url is not None
    client = PostgresClient(rest_settings.database_url.get_secret_value())
    engine.run(client.connect())
    try:
        store = PostgresContentStore(client)
        first, second = engine.run(store.claim("k1")), engine.run(store.claim("k1"))
        assert (first.mine, first.sid) == (True, None) and (second.mine, second.sid) == (False, None)
        engine.run(store.record("k1", "HX" + "1" * 32))
        assert engine.run(store.claim("k1")).sid == "HX" + "1" * 32
        engine.run(store.claim("k2"))
        engine.run(store.release("k2"))  # its creation failed: the next one tries again
        assert engine.run(store.claim("k2")).mine is True
        impatient = PostgresContentStore(client, stale_claim=timedelta(0))  # its claimer died
        assert engine.run(impatient.claim("k2")).mine is True
        assert engine.run(store.count()) == 1
    finally:
        engine.run(client.close())


def test_a_slow_typing_indicator_never_holds_the_reply(whatsapp, twilio_fake: TwilioFake):
    twilio_fake.typing_delay = 40.0  # far beyond the request timeout below
    student = whatsapp("whatsapp:+573001230007", twilio_timeout_seconds=30.0)
    sid = student.send(ASK_COURSES)
    [reply] = student.reply(after=0, timeout=20.0)  # a reply held by the indicator would come after 30 s
    assert reply.content_sid is not None and sid not in twilio_fake.typing  # the indicator is still pending


def test_a_voice_note_the_ai_cannot_transcribe_is_declined_and_recorded(whatsapp, twilio_fake: TwilioFake):
    ai = FakeOpenAI().start()
    ai.models_refusing_ogg = {"gpt-4o-mini-transcribe", "whisper-1"}
    try:
        student = whatsapp("whatsapp:+573001230008", openai_api_key=SecretStr("test-key"), openai_base_url=ai.base_url)
        student.send_voice_note(ogg_opus(1.0))
        [answer] = student.reply(after=0, timeout=30)
    finally:
        ai.close()
    assert len(ai.transcriptions) == 2 and "no puedo escucharlo" in answer.body

"""The WhatsApp-native conversation through the Procfile's processes: `db init`, gunicorn with
gunicorn.conf.py and a `python -m app worker`, on a fresh database, against the fake Twilio (every
request checked against twilio-oai) and, for a voice note, the fake OpenAI through the real
openai client in the worker. Signed webhooks over HTTP, as Twilio sends them."""

from __future__ import annotations

import contextlib
import tempfile
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from twilio.request_validator import RequestValidator

from tests.ai.fake_openai import FakeOpenAI
from tests.audio import ogg_opus
from tests.load.processes import AppEnvironment, Deployment
from tests.postgres import fresh_database
from tests.twilio_fake import ACCOUNT_SID, AUTH_TOKEN, SENDER, SentMessage, TwilioFake

pytestmark = [pytest.mark.load, pytest.mark.postgres]

ASK_COURSES = "hola, soy contador y quiero aprender programación, ¿qué cursos tienen?"


@contextlib.contextmanager
def deployed(admin_url: str, twilio: TwilioFake, openai_url: str | None = None) -> Iterator[Deployment]:
    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(fresh_database(admin_url))
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="whatsapp-processes-")))
        environment = AppEnvironment(database_url, twilio.base_url, directory / "data", burst_window_seconds=0.0,
                                     openai_base_url=openai_url)  # fmt: skip
        deployment = Deployment(environment, directory)
        stack.callback(deployment.close)
        deployment.release()
        deployment.start_web(1, 4)
        deployment.start_worker(4)
        deployment.wait_workers_ready(1)
        yield deployment


def send(deployment: Deployment, number: str, body: str, **fields: str) -> str:
    sid = "SM" + uuid.uuid4().hex
    params = {"MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": number, "To": SENDER, "Body": body,
              "NumMedia": "0", "MessageType": "text", **fields}  # fmt: skip
    url = deployment.environment.public_base_url + "/webhook/whatsapp"
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, params)
    request = urllib.request.Request(url, data=urllib.parse.urlencode(params).encode(),
                                     headers={"X-Twilio-Signature": signature})  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200
    return sid


def next_reply(twilio: TwilioFake, number: str, after: int) -> SentMessage:
    return twilio.wait_for_sent(after + 1, to=number, timeout=60)[after]


def consent_of(deployment: Deployment, number: str) -> bool:
    with psycopg.connect(deployment.environment.database_url) as connection:
        row = connection.execute("SELECT marketing_consent FROM user_memory WHERE user_id = %s", (number,)).fetchone()
    return bool(row and row[0])


def test_lists_taps_consent_and_a_declined_voice_note_through_the_processes(load_server, twilio_fake: TwilioFake):
    admin_url, _ = load_server
    with deployed(admin_url, twilio_fake) as deployment:
        number = "whatsapp:+573005550001"
        first = send(deployment, number, ASK_COURSES)
        listed = next_reply(twilio_fake, number, 0)
        items = twilio_fake.contents[listed.content_sid or ""]["types"]["twilio/list-picker"]["items"]
        assert first in twilio_fake.typing

        chosen = items[1]
        send(deployment, number, chosen["item"], MessageType="interactive", ListId=chosen["id"],
             ListTitle=chosen["item"])  # fmt: skip
        card = next_reply(twilio_fake, number, 1)
        assert chosen["item"].rstrip("…") in card.body
        price = (send(deployment, number, "¿cuánto cuesta?"), next_reply(twilio_fake, number, 2))[1]
        assert "cuesta $" in price.body and chosen["item"].rstrip("…")[:15] in price.body

        other = "whatsapp:+573005550002"
        steps = ("hola, soy contador", "quiero aprender programación", "que cursos de python tienen?")
        for n, text in enumerate(steps):
            send(deployment, other, text)
            asked = next_reply(twilio_fake, other, n)
        assert "marketing_consent:yes" in str(twilio_fake.contents[asked.content_sid or ""]["types"])
        assert consent_of(deployment, other) is False
        send(deployment, other, "Sí", MessageType="button", ButtonPayload="marketing_consent:yes", ButtonText="Sí")
        next_reply(twilio_fake, other, 3)
        assert consent_of(deployment, other) is True

        voice = "whatsapp:+573005550003"
        url = twilio_fake.add_media(ogg_opus(1.0), "audio/ogg")
        send(deployment, voice, "", NumMedia="1", MessageType="audio", MediaContentType0="audio/ogg", MediaUrl0=url)
        assert "no puedo escucharlo" in next_reply(twilio_fake, voice, 0).body


def test_a_voice_note_is_transcribed_and_answered_through_the_processes(load_server, twilio_fake: TwilioFake):
    admin_url, _ = load_server
    ai = FakeOpenAI().start()
    ai.models_refusing_ogg = {"gpt-4o-mini-transcribe"}
    try:
        with deployed(admin_url, twilio_fake, ai.base_url) as deployment:
            number = "whatsapp:+573005550004"
            url = twilio_fake.add_media(ogg_opus(2.0), "audio/ogg")
            send(deployment, number, "", NumMedia="1", MessageType="audio", MediaContentType0="audio/ogg",
                 MediaUrl0=url)  # fmt: skip
            answer = next_reply(twilio_fake, number, 0)
    finally:
        ai.close()
    assert [(t.model, t.ogg_opus, t.language) for t in ai.transcriptions] == [
        ("gpt-4o-mini-transcribe", True, "es"), ("whisper-1", True, "es"),
    ]  # fmt: skip
    assert "no puedo escucharlo" not in answer.body

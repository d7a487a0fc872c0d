"""The Content API, typing-indicator and media requests the bot makes, checked against the
extracts of twilio-oai (twilio_content_v1_content.json, twilio_messaging_v2_typing.json,
twilio_api_v2010_media.json), and the sender that makes them, against the fake Twilio."""

from __future__ import annotations

import asyncio
import base64
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from app.domain.interactive import course_list, next_steps, yes_no
from app.infrastructure.twilio.rest_sender import TwilioSenderOptions
from app.infrastructure.twilio.whatsapp_sender import (
    ContentUnavailableError,
    MediaLimits,
    MediaTooLargeError,
    TwilioWhatsAppSender,
    content_request,
)
from tests.contract import extract_spec
from tests.contract.twilio_openapi import check_other
from tests.twilio_fake import ACCOUNT_SID, AUTH_TOKEN, SENDER, TwilioFake, fail

STUDENT = "whatsapp:+573001234567"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
PICKER = course_list("Te muestro:", [("c1", "Python desde Cero", "Aprende"), ("c2", "Excel", "Hojas de cálculo")])


@pytest.mark.parametrize(
    "interactive", [PICKER, yes_no("¿Te contacto?", "contact"), next_steps("Tu curso")], ids=["list", "yes-no", "next"]
)
def test_the_content_the_bot_creates_matches_create_content(interactive):
    body = json.dumps(content_request(interactive)).encode()
    assert check_other("POST", "/v1/Content", body=body, content_type=JSON) is None


def test_content_mistakes_are_caught():
    request = content_request(PICKER)  # type: ignore[arg-type]
    request["types"]["twilio/list-picker"]["itemz"] = []  # type: ignore[index]
    wrong_key = check_other("POST", "/v1/Content", body=json.dumps(request).encode(), content_type=JSON)
    assert wrong_key is not None and "itemz" in wrong_key.message
    no_types = check_other("POST", "/v1/Content", body=b'{"language": "es"}', content_type=JSON)
    assert no_types is not None and "'types' is a required property" in no_types.message
    as_form = check_other("POST", "/v1/Content", body=b"language=es", content_type=FORM)
    assert as_form is not None and "Content-Type must be application/json" in as_form.message


def test_typing_indicator_and_media_requests_are_checked():
    good = f"channel=whatsapp&messageId=SM{'a' * 32}".encode()
    assert check_other("POST", "/v2/Indicators/Typing.json", body=good, content_type=FORM) is None
    misspelled = check_other("POST", "/v2/Indicators/Typing.json", body=b"channel=whatsapp&messageID=SM1",
                             content_type=FORM)  # fmt: skip
    assert misspelled is not None and "did you mean messageId?" in misspelled.message
    not_a_sid = check_other("POST", "/v2/Indicators/Typing.json", body=b"channel=whatsapp&messageId=x1",
                            content_type=FORM)  # fmt: skip
    assert not_a_sid is not None
    media = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/MM{'1' * 32}/Media/ME{'2' * 32}"
    assert check_other("GET", media) is None
    assert check_other("GET", "/v1/Nothing") is not None


def test_each_extract_is_its_sources_operations_unchanged():
    for source, extracts in extract_spec.EXTRACTS.items():
        for name, operations in extracts.items():
            extract = json.loads((Path(extract_spec.__file__).parent / name).read_text(encoding="utf-8"))
            assert source in extract["info"]["x-extracted-from"]["source"]
            for path, methods in operations.items():
                for method, operation_id in methods.items():
                    assert extract["paths"][path][method]["operationId"] == operation_id


@pytest.fixture
def fake() -> Iterator[TwilioFake]:
    twilio = TwilioFake().start()
    yield twilio
    twilio.close()
    assert not twilio.violations, twilio.violations


def sender(fake: TwilioFake, media: MediaLimits | None = None) -> TwilioWhatsAppSender:
    options = TwilioSenderOptions(account_sid=ACCOUNT_SID, auth_token=SecretStr(AUTH_TOKEN), from_number=SENDER,
                                  base_url=fake.base_url, attempts=1)  # fmt: skip
    return TwilioWhatsAppSender(options, media=media)


def test_the_sender_creates_each_content_once_and_sends_it_with_its_variables(fake: TwilioFake):
    async def scenario() -> list[str]:
        whatsapp = sender(fake)
        try:
            first = await whatsapp.send_interactive(STUDENT, "Te muestro:", PICKER)  # type: ignore[arg-type]
            other = PICKER.with_body("Otra vez:")  # type: ignore[union-attr]
            second = await whatsapp.send_interactive(STUDENT, "Otra vez:", other)
            return [first, second]
        finally:
            await whatsapp.aclose()

    sids = asyncio.run(scenario())
    assert len(fake.contents) == 1 and len(set(sids)) == 2
    sent = fake.sent(STUDENT)
    assert [m.body for m in sent] == ["Te muestro:", "Otra vez:"]  # rendered as Twilio shows it
    assert {m.content_sid for m in sent} == set(fake.contents)


def test_a_content_api_failure_sends_the_text(fake: TwilioFake):
    fake.script_content(fail(503, 20503, "unavailable"))

    async def scenario() -> None:
        whatsapp = sender(fake)
        try:
            with pytest.raises(ContentUnavailableError):
                await whatsapp.content_sid(PICKER)  # type: ignore[arg-type]
            fake.script_content(fail(400, 21656, "bad"))
            await whatsapp.send_interactive(STUDENT, "1. Python\n2. Excel", PICKER)  # type: ignore[arg-type]
        finally:
            await whatsapp.aclose()

    asyncio.run(scenario())
    [text] = fake.sent(STUDENT)
    assert text.content_sid is None and text.body == "1. Python\n2. Excel"


def test_typing_indicator_and_media_download_use_the_account(fake: TwilioFake):
    url = fake.add_media(b"OggS audio", "audio/ogg")

    async def scenario() -> bytes:
        whatsapp = sender(fake)
        try:
            await whatsapp.indicate_typing("SM" + "b" * 32)
            await whatsapp.indicate_typing("not-a-sid")  # skipped: Twilio's spec takes SM/MM SIDs only
            with pytest.raises(ValueError, match="not a Twilio media URL"):
                await whatsapp.download_media("https://evil.example/steal")
            return await whatsapp.download_media(url)
        finally:
            await whatsapp.aclose()

    assert asyncio.run(scenario()) == b"OggS audio"
    assert fake.typing == ["SM" + "b" * 32]
    path = url.removeprefix("https://api.twilio.com")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(fake.base_url + path, timeout=5)
    assert refused.value.code == 401
    auth = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    request = urllib.request.Request(fake.base_url + path, headers={"Authorization": f"Basic {auth}"})
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.read() == b"OggS audio"


def test_a_media_file_over_the_limit_is_not_downloaded_whole(fake: TwilioFake):
    url = fake.add_media(b"x" * 4096, "audio/ogg")

    async def scenario() -> None:
        whatsapp = sender(fake, MediaLimits(max_bytes=1024))
        try:
            with pytest.raises(MediaTooLargeError):
                await whatsapp.download_media(url)
        finally:
            await whatsapp.aclose()

    asyncio.run(scenario())

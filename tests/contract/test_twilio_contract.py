"""The requests the bot makes to Twilio, checked against Twilio's OpenAPI description.

The fake Twilio validates every request it receives (tests/contract/twilio_openapi.py) against
CreateMessage / ListMessage of tests/contract/twilio_api_v2010_messages.json. These tests show
that a correct request passes, that the mistakes a sender makes are caught and answered as
Twilio answers them, and that the bot's own sender only makes valid requests.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import sys
import textwrap
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openapi_core.testing import MockRequest, MockResponse
from pydantic import SecretStr
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from app.application.errors import PermanentDeliveryError
from app.infrastructure.twilio.rest_sender import TwilioReplySender, TwilioSenderOptions
from tests.contract import extract_spec, twilio_openapi
from tests.twilio_fake import ACCOUNT_SID, AUTH_TOKEN, SENDER, TwilioFake

STUDENT = "whatsapp:+573001234567"
CALLBACK = "https://bot.escuela.example/webhook/status"
TEMPLATE = "HX" + "0123456789abcdef" * 2
MESSAGES = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake() -> Iterator[TwilioFake]:
    """A fake of its own: these tests send invalid requests on purpose, which the shared
    `twilio_fake` fixture would (rightly) turn into failures."""
    twilio = TwilioFake().start()
    yield twilio
    twilio.close()


@pytest.fixture
def client(fake: TwilioFake) -> Client:
    client = Client(ACCOUNT_SID, AUTH_TOKEN, environment={})
    client.api.base_url = fake.base_url
    return client


def post(fake: TwilioFake, fields: dict[str, str]) -> tuple[int, dict[str, Any]]:
    """A raw CreateMessage: twilio's Client cannot leave out To or misspell a field."""
    request = urllib.request.Request(
        fake.base_url + MESSAGES,
        data=urllib.parse.urlencode(fields).encode(),
        method="POST",
        headers={"Authorization": _basic_auth(), "Content-Type": "application/x-www-form-urlencoded"},
    )
    return _answer(request)


def get(fake: TwilioFake, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
    url = fake.base_url + MESSAGES + "?" + urllib.parse.urlencode(query)
    return _answer(urllib.request.Request(url, headers={"Authorization": _basic_auth()}))


def _basic_auth() -> str:
    return "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()


def _answer(request: urllib.request.Request) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


# --- the spec extract --------------------------------------------------------------------------


def test_the_extract_holds_both_operations_and_every_component_they_reference() -> None:
    spec = twilio_openapi.spec()
    path = spec["paths"][twilio_openapi.MESSAGES_PATH]
    assert (path["post"]["operationId"], path["get"]["operationId"]) == ("CreateMessage", "ListMessage")
    assert spec["info"]["x-extracted-from"]["source"].startswith("https://github.com/twilio/twilio-oai/blob/")
    # Extracting from the extract changes nothing: no reference is left dangling, none is extra.
    assert extract_spec.extract(spec) == spec
    twilio_openapi.openapi().check_spec()  # a valid OpenAPI 3.0 document


def test_the_fakes_answers_match_twilios_response_schemas(fake: TwilioFake, client: Client) -> None:
    """The fake answers what the bot would get from Twilio, so its parsing is tested for real."""
    status, created = post(fake, {"To": STUDENT, "From": SENDER, "Body": "Hola", "StatusCallback": CALLBACK})
    assert status == 201
    listed_status, listed = get(fake, {"To": STUDENT, "From": SENDER, "PageSize": "50"})
    assert listed_status == 200 and listed["messages"][0]["sid"] == created["sid"]
    for method, answer, code in (("post", created, 201), ("get", listed, 200)):
        request = MockRequest(
            "https://api.twilio.com",
            method,
            MESSAGES,
            headers={"Authorization": _basic_auth()},
            data=b"To=x" if method == "post" else None,
            content_type="application/x-www-form-urlencoded",
        )
        response = MockResponse(json.dumps(answer).encode(), status_code=code, content_type="application/json")
        errors = list(twilio_openapi.openapi().iter_response_errors(request, response))
        assert not errors, [repr(e.__cause__ or e) for e in errors]


# --- valid requests ----------------------------------------------------------------------------


def test_a_create_message_from_twilios_client_is_valid(fake: TwilioFake, client: Client) -> None:
    message = client.api.account.messages.create(to=STUDENT, from_=SENDER, body="Hola 👋", status_callback=CALLBACK)
    assert message.sid and message.status == "queued"
    assert [(m.to, m.from_, m.body, m.status_callback) for m in fake.sent()] == [(STUDENT, SENDER, "Hola 👋", CALLBACK)]
    assert fake.violations == []


def test_a_template_send_is_valid_and_recorded(fake: TwilioFake, client: Client) -> None:
    variables = json.dumps({"1": "Ana", "2": "Python para Datos"})
    client.api.account.messages.create(to=STUDENT, from_=SENDER, content_sid=TEMPLATE, content_variables=variables)
    [sent] = fake.sent()
    assert (sent.content_sid, sent.content_variables, sent.body) == (TEMPLATE, variables, "")
    assert fake.violations == []


def test_the_bots_sender_makes_only_valid_requests(fake: TwilioFake) -> None:
    """send (CreateMessage with StatusCallback) and find_sent (ListMessage with DateSent>)."""
    since = datetime.now(UTC) - timedelta(seconds=5)
    # The number without its whatsapp: prefix, as TWILIO_PHONE_NUMBER may be set.
    options = TwilioSenderOptions(
        account_sid=ACCOUNT_SID,
        auth_token=SecretStr(AUTH_TOKEN),
        from_number=SENDER.removeprefix("whatsapp:"),
        base_url=fake.base_url,
        status_callback_url=CALLBACK,
        attempts=1,
        backoff_seconds=0,
    )
    sender = TwilioReplySender(options)
    try:
        sid = asyncio.run(sender.send(STUDENT, "¡Hola, Ana! Te cuento del curso."))
        found = asyncio.run(sender.find_sent(STUDENT, "¡Hola, Ana! Te cuento del curso.", since, set()))
        missing = asyncio.run(sender.find_sent(STUDENT, "otro texto", since, set()))
    finally:
        sender.close()
    assert found == sid and missing is None
    assert [(m.to, m.from_, m.status_callback) for m in fake.sent()] == [(STUDENT, SENDER, CALLBACK)]
    assert fake.violations == []


# --- invalid requests: answered like Twilio, and recorded --------------------------------------


def test_a_message_without_to_is_a_violation_answered_21604(fake: TwilioFake) -> None:
    status, answer = post(fake, {"From": SENDER, "Body": "Hola"})
    assert (status, answer["code"], answer["status"]) == (400, 21604, 400)
    assert answer["more_info"].endswith("/21604")
    [violation] = fake.violations
    assert violation.operation == "CreateMessage" and "To is required" in violation.message
    assert fake.sent() == []


def test_a_misspelled_field_is_a_violation_naming_the_right_one(fake: TwilioFake) -> None:
    status, _ = post(fake, {"To": STUDENT, "From": SENDER, "Body": "Hola", "Bodyy": "Hola"})
    assert status == 400
    [violation] = fake.violations
    assert "Bodyy is not a parameter of CreateMessage (did you mean Body?)" in violation.message
    assert fake.sent() == []
    # A harness in another process reads them here.
    with urllib.request.urlopen(fake.base_url + "/_fake/violations", timeout=5) as response:
        assert json.loads(response.read()) == {"violations": [str(violation)]}


@pytest.mark.parametrize("url", ["not a url", "ftp://bot.escuela.example/status", "https://bot_escuela.example/s"])
def test_an_invalid_status_callback_is_a_violation_answered_21609(fake: TwilioFake, url: str) -> None:
    status, answer = post(fake, {"To": STUDENT, "From": SENDER, "Body": "Hola", "StatusCallback": url})
    assert (status, answer["code"]) == (400, 21609)
    [violation] = fake.violations
    assert violation.message.startswith("StatusCallback")


def test_the_bots_sender_turns_an_invalid_request_into_a_permanent_failure(fake: TwilioFake) -> None:
    """A misconfigured PUBLIC_BASE_URL fails every part at once with Twilio's code, no retries."""
    options = TwilioSenderOptions(
        account_sid=ACCOUNT_SID,
        auth_token=SecretStr(AUTH_TOKEN),
        from_number=SENDER,
        base_url=fake.base_url,
        status_callback_url="bot.escuela.example/webhook/status",
    )
    sender = TwilioReplySender(options)
    try:
        with pytest.raises(PermanentDeliveryError) as failure:
            asyncio.run(sender.send(STUDENT, "Hola"))
    finally:
        sender.close()
    assert "21609" in str(failure.value)
    assert len(fake.violations) == 1 and fake.attempts == []


@pytest.mark.parametrize(
    ("fields", "code", "text"),
    [
        ({"To": "", "From": SENDER, "Body": "Hola"}, 21604, "To is required"),
        ({"To": STUDENT, "Body": "Hola"}, 21603, "From is required"),
        ({"To": STUDENT, "From": SENDER}, 21619, "Body is required"),
        ({"To": "573001234567", "From": SENDER, "Body": "Hola"}, 21211, "To '573001234567' is not a 'phone-number'"),
        ({"To": STUDENT, "From": SENDER, "ContentSid": "HX123"}, 70002, "ContentSid 'HX123' is too short"),
        (
            {"To": STUDENT, "From": SENDER, "ContentSid": TEMPLATE, "ContentVariables": "{1: Ana}"},
            21656,
            "ContentVariables must be a JSON object",
        ),
        ({"To": STUDENT, "From": SENDER, "Body": "Hola", "ProvideFeedback": "maybe"}, 70002, "boolean"),
    ],
)
def test_other_mistakes_are_violations_with_twilios_codes(
    fake: TwilioFake, fields: dict[str, str], code: int, text: str
) -> None:
    status, answer = post(fake, fields)
    assert (status, answer["code"]) == (400, code)
    [violation] = fake.violations
    assert text in violation.message


def test_a_list_with_an_unknown_filter_or_a_bad_date_is_a_violation(fake: TwilioFake) -> None:
    assert get(fake, {"To": STUDENT, "DateSent>": "2026-05-01T10:00:00Z"})[0] == 200
    status, _ = get(fake, {"Too": STUDENT, "DateSent>": "ayer"})
    assert status == 400
    [violation] = fake.violations
    assert violation.operation == "ListMessage"
    assert "Too is not a parameter of ListMessage (did you mean To?)" in violation.message
    assert "'ayer' is not a 'date-time'" in violation.message


def test_a_form_with_another_content_type_is_a_violation(fake: TwilioFake) -> None:
    body = json.dumps({"To": STUDENT, "From": SENDER, "Body": "Hola"}).encode()
    request = urllib.request.Request(
        fake.base_url + MESSAGES,
        data=body,
        method="POST",
        headers={"Authorization": _basic_auth(), "Content-Type": "application/json"},
    )
    assert _answer(request)[0] == 400
    assert "Content-Type must be application/x-www-form-urlencoded" in fake.violations[0].message


def test_a_violation_fails_the_test_that_uses_the_shared_fixture(tmp_path: Path) -> None:
    """The `twilio_fake` fixture of tests/conftest.py fails a test whose code broke the contract,
    even though the test itself asserted nothing about it."""
    test_file = tmp_path / "test_breaks_contract.py"
    test_file.write_text(
        textwrap.dedent(f"""
        from tests.conftest import twilio_fake  # noqa: F401
        from tests.contract.test_twilio_contract import post

        def test_sends_bodyy(twilio_fake):
            assert post(twilio_fake, {{"To": "{STUDENT}", "From": "{SENDER}", "Bodyy": "x"}})[0] == 400

        def test_sends_body(twilio_fake):
            assert post(twilio_fake, {{"To": "{STUDENT}", "From": "{SENDER}", "Body": "x"}})[0] == 201
    """)
    )
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    # Both tests pass their own asserts; the one that broke the contract errors at teardown.
    assert "2 passed, 1 error" in run.stdout, run.stdout
    assert "ERROR test_breaks_contract.py::test_sends_bodyy" in run.stdout
    assert "break Twilio's API contract" in run.stdout and "did you mean Body?" in run.stdout


def test_validation_is_cached_so_load_runs_stay_fast() -> None:
    """Thousands of sends with different bodies cost one openapi-core run per request shape."""
    twilio_openapi._schema_problems.cache_clear()
    form = "application/x-www-form-urlencoded"
    for n in range(200):
        body = urllib.parse.urlencode({"To": STUDENT, "From": SENDER, "Body": f"parte {n}", "StatusCallback": CALLBACK})
        assert twilio_openapi.check("POST", MESSAGES, body=body.encode(), content_type=form) is None
    assert twilio_openapi._schema_problems.cache_info().misses == 1


def test_twilios_client_surfaces_the_fakes_error(fake: TwilioFake, client: Client) -> None:
    """What the sender's error translation sees: Twilio's code and message, from the fake."""
    with pytest.raises(TwilioRestException) as failure:
        client.api.account.messages.create(to="whatsapp:573001234567", from_=SENDER, body="Hola")
    assert (failure.value.status, failure.value.code) == (400, 21211)

import json
import urllib.parse
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.e2e.conftest import AUTH_TOKEN, WEBHOOK_PATH, signed_post, twilio_params


def messages_in(twiml: str) -> list[str]:
    root = ET.fromstring(twiml)
    assert root.tag == "Response"
    return [m.text or "" for m in root.iter("Message")]


def test_signed_request_gets_twiml_reply(live_server):
    result = signed_post(live_server, twilio_params("Hola! soy Carolina"))
    assert result.status == 200
    assert result.content_type.startswith("application/xml")
    replies = messages_in(result.body)
    assert replies and replies[0].startswith("¡Hola, Carolina!")


def test_forged_signature_is_rejected(live_server):
    result = signed_post(live_server, twilio_params("hola"), token="not-the-real-token")
    assert result.status == 403


def test_missing_signature_is_rejected(live_server):
    data = urllib.parse.urlencode(twilio_params("hola")).encode()
    result = live_server.post(WEBHOOK_PATH, data, {"Content-Type": "application/x-www-form-urlencoded"})
    assert result.status == 403


def test_tampered_body_is_rejected(live_server):
    params = twilio_params("hola")
    from twilio.request_validator import RequestValidator

    signature = RequestValidator(AUTH_TOKEN).compute_signature("https://bot.escuela.example/webhook/whatsapp", params)
    params["Body"] = "dame 100% de descuento"
    data = urllib.parse.urlencode(params).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
    assert live_server.post(WEBHOOK_PATH, data, headers).status == 403


def test_signature_checked_against_forwarded_url_when_no_public_base(start_server):
    server = start_server(public_base_url=None)
    params = twilio_params("hola")
    from twilio.request_validator import RequestValidator

    url = "https://proxy.escuela.example/webhook/whatsapp"
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, params)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": signature,
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "proxy.escuela.example",
    }
    assert server.post(WEBHOOK_PATH, urllib.parse.urlencode(params).encode(), headers).status == 200


def test_validation_can_be_turned_off_explicitly(start_server):
    server = start_server(twilio_validate_signature=False)
    data = urllib.parse.urlencode(twilio_params("hola")).encode()
    result = server.post(WEBHOOK_PATH, data, {"Content-Type": "application/x-www-form-urlencoded"})
    assert result.status == 200


def test_course_request_answers_with_catalogue_courses(live_server):
    result = signed_post(live_server, twilio_params("quiero automatizar reportes de excel"))
    text = "\n".join(messages_in(result.body))
    assert "📚" in text and "💰 Precio:" in text


@pytest.mark.parametrize(
    ("body", "extra", "expected"),
    [
        ("", {}, "llegó vacío"),
        ("", {"NumMedia": "1", "MediaContentType0": "image/jpeg", "MediaUrl0": "https://x/y"}, "solo puedo leer"),
        ("😀😀😀", {}, ""),
        ("a" * 5000, {}, ""),
        ("'; DROP TABLE user_memory; --", {}, ""),
        ("hola", {"SomeNewTwilioField": "valor", "ChannelMetadata": '{"x": 1}'}, "Hola"),
    ],
    ids=["empty", "media-only", "emoji-only", "5000-chars", "sql-injection", "unknown-fields"],
)
def test_bad_input_gets_a_sensible_reply(live_server, body, extra, expected):
    result = signed_post(live_server, twilio_params(body, **extra))
    assert result.status == 200
    replies = messages_in(result.body)
    assert replies and all(0 < len(r) <= 1600 for r in replies)
    assert expected in "\n".join(replies)


def test_non_utf8_body_is_not_a_server_error(start_server):
    server = start_server(twilio_validate_signature=False)
    data = b"MessageSid=SMlatin1&From=whatsapp%3A%2B5730&Body=Hola+se%F1or%2C+informaci%F3n"
    result = server.post(WEBHOOK_PATH, data, {"Content-Type": "application/x-www-form-urlencoded"})
    assert result.status == 200
    assert messages_in(result.body)


def test_request_without_twilio_fields_is_a_clear_400(start_server):
    server = start_server(twilio_validate_signature=False)
    result = server.post(WEBHOOK_PATH, b"Body=hola", {"Content-Type": "application/x-www-form-urlencoded"})
    assert result.status == 400
    assert "MessageSid" in result.body and "From" in result.body


def test_oversized_request_is_refused_without_a_500(live_server):
    data = urllib.parse.urlencode(twilio_params("x" * 100_000)).encode()
    result = live_server.post(WEBHOOK_PATH, data, {"Content-Type": "application/x-www-form-urlencoded"})
    assert result.status == 413


def test_duplicate_delivery_is_answered_once(live_server, make_settings):
    params = twilio_params("qué cursos de python tienen?", sid="SMdupe0001")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: signed_post(live_server, params), range(4)))
    assert {r.status for r in results} == {200}
    assert len({r.body for r in results}) == 1
    memory_file = next((make_settings().data_dir / "memory" / "users").glob("*.json"))
    assert json.loads(memory_file.read_text())["interaction_count"] == 1


def test_health_reports_mode_and_components(live_server):
    result = live_server.get("/health")
    health = json.loads(result.body)
    assert result.status == 200
    assert health["mode"] == "basic"
    assert health["ai"] == "off"
    assert health["components"]["courses"]["backend"] == "json"
    assert health["components"]["memory"]["backend"] == "json"
    assert health["components"]["twilio"]["detail"] == "signature validation on"

"""Replies through Twilio's REST API (REPLY_DELIVERY=rest), JSON memory and inbound log:
the webhook answers at once, the reply goes out through the fake REST API exactly once.

The same flow on PostgreSQL: tests/integration/test_pg_delivery.py.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr

from app.application.errors import PermanentDeliveryError, TransientDeliveryError
from app.infrastructure.json_store.inbound_log import JsonInboundLog
from app.infrastructure.twilio.rest_sender import TwilioReplySender, TwilioSenderOptions
from tests import delivery_flow as flow
from tests.e2e.conftest import signed_post, twilio_params
from tests.twilio_fake import ACCOUNT_SID, AUTH_TOKEN, fail, hang


@pytest.fixture
def rest_server(start_server, twilio_fake):
    return start_server(**flow.rest_settings(twilio_fake))


def test_webhook_answers_at_once_and_the_reply_goes_out_by_rest(rest_server, twilio_fake):
    flow.webhook_answers_at_once(rest_server, twilio_fake, "whatsapp:+573000000001")


def test_a_long_reply_goes_out_in_parts_in_order(start_server, twilio_fake, monkeypatch):
    flow.long_replies(monkeypatch)
    flow.long_reply_in_parts(start_server(**flow.rest_settings(twilio_fake)), twilio_fake, "whatsapp:+573000000002")


def test_a_duplicate_delivery_is_sent_once(rest_server, twilio_fake):
    flow.duplicate_sent_once(rest_server, twilio_fake, "whatsapp:+573000000003")


def test_two_quick_messages_are_answered_in_order(rest_server, twilio_fake):
    flow.answered_in_order(rest_server, twilio_fake, "whatsapp:+573000000004")


def test_a_server_error_is_retried_and_sent_once(rest_server, twilio_fake):
    flow.server_error_retried(rest_server, twilio_fake, "whatsapp:+573000000005")


def test_a_client_error_is_recorded_as_failed_and_shown_in_health(rest_server, twilio_fake):
    flow.client_error_failed(rest_server, twilio_fake, "whatsapp:+573000000006")
    assert flow.deliveries(rest_server) == {"pending": 0, "failed": 1}


def test_the_sweep_finishes_what_crashed_workers_left(start_server, twilio_fake, make_settings):
    sender = "whatsapp:+573000000007"
    log = JsonInboundLog(make_settings().data_dir / "inbound")
    asyncio.run(flow.leave_crashed_deliveries(log, datetime.now(UTC), sender))
    server = start_server(**flow.rest_settings(twilio_fake))
    flow.crashed_deliveries_finished(server, twilio_fake, sender)
    record = json.loads((make_settings().data_dir / "inbound" / "SMcrash001.json").read_text())
    assert record["delivery"]["state"] == "sent" and record["delivery"]["parts_sent"] == len(flow.CRASHED_PARTS)
    assert record["delivery"]["provider_ids"][0] == "SMdeadpart0"


def test_twiml_mode_is_kept_without_a_complete_account(start_server, twilio_fake):
    server = start_server(twilio_api_base_url=twilio_fake.base_url)  # a token, but no account nor sender
    result = signed_post(server, twilio_params("Hola! soy Carolina", sid="SMtwiml001"))
    assert "¡Hola, Carolina!" in result.body
    assert json.loads(server.get("/health").body)["components"]["twilio"]["backend"] == "twiml"
    assert twilio_fake.attempts == []


def test_auto_chooses_rest_with_a_complete_account(start_server, twilio_fake):
    overrides = flow.rest_settings(twilio_fake)
    overrides["reply_delivery"] = "auto"
    server = start_server(**overrides)
    flow.assert_acknowledged(signed_post(server, twilio_params("hola", sid="SMauto0001")))
    twilio_fake.wait_for_sent(1)


# --- the adapter on its own --------------------------------------------------------------------


def sender_for(fake, token: str = AUTH_TOKEN) -> TwilioReplySender:
    options = TwilioSenderOptions(
        account_sid=ACCOUNT_SID, auth_token=SecretStr(token), from_number="+14155238886",
        base_url=fake.base_url, timeout_seconds=0.3, backoff_seconds=0.05,
    )  # fmt: skip
    return TwilioReplySender(options)


def test_a_hanging_request_times_out_and_is_retried(twilio_fake):
    twilio_fake.script(hang(1.0))
    sid = asyncio.run(sender_for(twilio_fake).send("whatsapp:+573001112233", "hola"))
    [sent] = twilio_fake.sent()
    assert sid == sent.sid and sent.from_ == "whatsapp:+14155238886"  # the WhatsApp prefix is added
    assert [a.status for a in twilio_fake.attempts] == [0, 201]


def test_errors_become_the_projects_own(twilio_fake):
    twilio_fake.script(fail(503), fail(503), fail(503))
    with pytest.raises(TransientDeliveryError, match="503"):
        asyncio.run(sender_for(twilio_fake).send("whatsapp:+573001112233", "hola"))
    with pytest.raises(PermanentDeliveryError, match="401"):
        asyncio.run(sender_for(twilio_fake, token="wrong").send("whatsapp:+573001112233", "hola"))
    assert len(twilio_fake.attempts) == 3  # the 503 tried three times; the 401 once, refused before it counts


# --- bursts --------------------------------------------------------------------------------------


def burst_settings(fake) -> dict[str, object]:
    return flow.rest_settings(fake, burst_window_seconds=flow.BURST_WINDOW)


def test_a_burst_of_quick_messages_gets_one_reply(start_server, twilio_fake, make_settings):
    sender = "whatsapp:+573000000021"
    flow.burst_answered_once(start_server(**burst_settings(twilio_fake)), twilio_fake, sender)
    users_dir = make_settings().data_dir / "memory" / "users"
    [memory_file] = users_dir.glob("*.json")
    memory = json.loads(memory_file.read_text())
    [reply] = twilio_fake.sent(sender)
    flow.assert_burst_remembered(memory["interaction_count"], memory["message_history"], reply.body)
    inbound = make_settings().data_dir / "inbound"
    states = [json.loads((inbound / f"{sid}.json").read_text())["delivery"] for sid in flow.BURST_SIDS]
    assert [(d["state"], d["merged_into"]) for d in states] == [
        ("merged", "SMburst003"), ("merged", "SMburst003"), ("sent", None),
    ]  # fmt: skip


def test_messages_further_apart_than_the_window_get_a_reply_each(start_server, twilio_fake):
    server = start_server(**burst_settings(twilio_fake))
    flow.spaced_answered_separately(server, twilio_fake, "whatsapp:+573000000022")


def test_a_window_of_zero_answers_each_quick_message(start_server, twilio_fake):
    server = start_server(**flow.rest_settings(twilio_fake, burst_window_seconds=0))
    sender = "whatsapp:+573000000023"
    for text, sid in zip(flow.BURST, flow.BURST_SIDS, strict=True):
        flow.assert_acknowledged(flow.post(server, text, sid, sender)[0])
    assert len(twilio_fake.wait_for_sent(3, to=sender)) == 3
    assert twilio_fake.stays_at(3, to=sender, seconds=0.5)


def test_the_sweep_finishes_bursts_a_crash_left_half_done(start_server, twilio_fake, make_settings):
    stored, unturned = "whatsapp:+573000000024", "whatsapp:+573000000025"
    log = JsonInboundLog(make_settings().data_dir / "inbound")
    asyncio.run(flow.leave_crashed_bursts(log, datetime.now(UTC), stored, unturned))
    server = start_server(**burst_settings(twilio_fake))
    flow.crashed_bursts_finished(server, twilio_fake, stored, unturned)


def test_twiml_answers_each_request_inline_whatever_the_window(start_server):
    server = start_server(burst_window_seconds=flow.BURST_WINDOW)
    pairs = zip(flow.BURST, flow.BURST_SIDS, strict=True)
    bodies = [signed_post(server, twilio_params(text, sid=sid)).body for text, sid in pairs]
    assert all("<Message>" in body for body in bodies) and "Python" in bodies[-1]

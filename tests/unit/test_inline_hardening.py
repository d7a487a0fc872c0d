"""The inline (TwiML) path on JSON files: what a crash, a full disk, an odd sender or odd
characters used to break."""

import asyncio
import json
from datetime import UTC, datetime

import pytest

from app.application.process_message import ProcessIncomingMessage
from app.application.query_courses import QueryCourseInformation
from app.domain.answered_turns import ANSWERED_TURNS_CAP, ANSWERED_TURNS_KEY
from app.domain.messages import InboundMessage, Reply
from app.domain.text import strip_control_characters
from app.entrypoints.web.twilio_form import TwilioInboundForm
from app.infrastructure.json_store import files
from app.infrastructure.json_store.files import create_exclusive_json, key_of_file, key_to_filename
from app.infrastructure.json_store.inbound_log import JsonInboundLog
from app.infrastructure.json_store.memory_repository import JsonUserMemoryRepository
from app.infrastructure.templates.spanish import SpanishTemplates
from tests.fakes import FakeCourseRepository
from tests.unit.pipeline import NOW, USER, NameExtractor, ScriptedClassifier

LONG_USER = "whatsapp:+" + "ñ" * 190  # 200 characters, the longest From the form accepts


class KilledBeforeTheReplyIsStoredError(Exception):
    """Stands for kill -9 between saving the memory and storing the reply."""


class CrashOnceInboundLog(JsonInboundLog):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.crash_next_store = True

    async def store_reply(self, message_id: str, reply: Reply) -> None:
        if self.crash_next_store:
            self.crash_next_store = False
            raise KilledBeforeTheReplyIsStoredError
        await super().store_reply(message_id, reply)


def build(tmp_path, sample_courses, inbound_log=None):
    memory = JsonUserMemoryRepository(tmp_path / "memory")
    inbound = inbound_log or JsonInboundLog(tmp_path / "inbound")
    classifier = ScriptedClassifier()
    use_case = ProcessIncomingMessage(
        courses=QueryCourseInformation(FakeCourseRepository(sample_courses)), memory=memory,
        inbound_log=inbound, classifier=classifier, extractor=NameExtractor(), templates=SpanishTemplates(),
        clock=lambda: NOW, mode=lambda: "basic",
    )  # fmt: skip
    return use_case, memory, inbound, classifier


def message(text, sid="SM1", user=USER):
    return InboundMessage(message_id=sid, user_id=user, text=text, received_at=NOW)


# --- an inbound record is never left empty -----------------------------------------------------


def test_a_failed_write_leaves_no_record_behind(tmp_path, monkeypatch):
    def disk_full(data, handle, **kwargs):
        handle.write('{"message_id": ')
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.json, "dump", disk_full)
    with pytest.raises(OSError):
        create_exclusive_json(tmp_path / "SM1.json", {"message_id": "SM1"})
    assert list(tmp_path.iterdir()) == []  # neither the record nor a temporary file


def test_creation_is_still_exclusive(tmp_path):
    path = tmp_path / "SM1.json"
    assert create_exclusive_json(path, {"n": 1})
    assert not create_exclusive_json(path, {"n": 2})
    assert json.loads(path.read_text()) == {"n": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["SM1.json"]


@pytest.mark.parametrize("leftover", ["", '{"message_id": "SM1", "user'])
def test_a_leftover_empty_record_is_answered_not_refused(tmp_path, sample_courses, leftover):
    use_case, memory, inbound, _ = build(tmp_path, sample_courses)
    (tmp_path / "inbound").mkdir()
    (tmp_path / "inbound" / "SM1.json").write_text(leftover)
    reply = asyncio.run(use_case.execute(message("qué cursos tienen")))
    assert not reply.duplicate and reply.course_ids
    assert asyncio.run(inbound.get("SM1")).reply == reply
    assert asyncio.run(memory.load_user_memory(USER)).interaction_count == 1
    kept = list((tmp_path / "inbound" / "corrupt").iterdir())  # set aside, never deleted
    assert len(kept) == 1 and kept[0].read_text() == leftover


def test_an_unreadable_record_reads_as_not_recorded(tmp_path):
    inbound = JsonInboundLog(tmp_path)
    (tmp_path / "SM1.json").write_text("")
    assert asyncio.run(inbound.get("SM1")) is None


# --- a turn is counted once even when the process dies between its two writes -------------------


def test_a_retry_after_a_crash_between_memory_and_reply_is_not_a_second_turn(tmp_path, sample_courses):
    inbound = CrashOnceInboundLog(tmp_path / "inbound")
    use_case, memory, _, classifier = build(tmp_path, sample_courses, inbound)
    with pytest.raises(KilledBeforeTheReplyIsStoredError):
        asyncio.run(use_case.execute(message("qué cursos tienen")))
    saved = asyncio.run(memory.load_user_memory(USER))
    assert saved.interaction_count == 1 and asyncio.run(inbound.get("SM1")).reply is None

    retried = asyncio.run(use_case.execute(message("qué cursos tienen")))  # Twilio's retry
    after = asyncio.run(memory.load_user_memory(USER))
    assert after.interaction_count == 1
    assert after.intent_counts == saved.intent_counts and after.message_history == saved.message_history
    assert len(classifier.calls) == 1
    assert retried.text == saved.message_history[-1].text and retried.course_ids
    assert asyncio.run(inbound.get("SM1")).reply.text == retried.text  # stored now
    again = asyncio.run(use_case.execute(message("qué cursos tienen")))
    assert again.duplicate and again.text == retried.text


def test_only_the_last_few_answers_are_kept_in_memory(tmp_path, sample_courses):
    use_case, memory, _, _ = build(tmp_path, sample_courses)
    for n in range(ANSWERED_TURNS_CAP + 3):
        asyncio.run(use_case.execute(message("hola", sid=f"SM{n}")))
    kept = asyncio.run(memory.load_user_memory(USER)).additional_data[ANSWERED_TURNS_KEY]
    assert [t["message_id"] for t in kept] == [f"SM{n}" for n in range(3, ANSWERED_TURNS_CAP + 3)]


# --- a sender too long for a file name ------------------------------------------------------------


def test_a_long_sender_gets_a_short_stable_distinct_file_name():
    name = key_to_filename(LONG_USER)
    other = key_to_filename(LONG_USER[:-1] + "n")  # same start, different end
    assert len(name.encode()) <= files.MAX_READABLE_NAME and "/" not in name
    assert name == key_to_filename(LONG_USER) and name != other
    assert key_to_filename(USER) == "whatsapp%3A%2B573001112233.json"  # short ids stay readable


def test_a_long_sender_is_answered_and_remembered(tmp_path, sample_courses):
    use_case, memory, _, _ = build(tmp_path, sample_courses)
    reply = asyncio.run(use_case.execute(message("hola, soy Carolina", user=LONG_USER)))
    assert reply.text.startswith("¡Hola, Carolina!")
    assert asyncio.run(memory.load_user_memory(LONG_USER)).interaction_count == 1
    assert memory.user_ids() == [LONG_USER]
    [path] = (tmp_path / "memory" / "users").iterdir()
    assert key_of_file(path) == LONG_USER


def test_a_hashed_file_is_not_taken_for_another_user(tmp_path):
    path = tmp_path / key_to_filename(LONG_USER)
    path.write_text(json.dumps({"user_id": "whatsapp:+1"}))  # content that does not match the name
    assert key_of_file(path) is None


# --- control characters never reach a store --------------------------------------------------------


def test_control_characters_are_stripped_but_line_breaks_and_tabs_kept():
    assert strip_control_characters("ho\x00la\x07\x1b[31m\r\nqué\tcursos\rhay\x7f") == "hola[31m\nqué\tcursos\nhay\x7f"


def form(**fields):
    return {"MessageSid": "SM1", "From": USER, "Body": "hola", **fields}


def test_the_webhook_form_strips_nul_from_the_text_and_the_profile_name():
    parsed = TwilioInboundForm.model_validate(
        form(Body="quiero\x00 info\x01", ProfileName="Caro\x00lina", NumMedia="1", MediaContentType0="image/\x00png")
    )
    inbound = parsed.to_inbound(received_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert (inbound.text, inbound.profile_name, inbound.media_types) == ("quiero info", "Carolina", ("image/png",))
    assert "\\u0000" not in inbound.model_dump_json()


@pytest.mark.parametrize("field", ["MessageSid", "From", "To"])
def test_the_webhook_form_refuses_ids_with_control_characters(field):
    with pytest.raises(ValueError, match="control characters"):
        TwilioInboundForm.model_validate(form(**{field: "whatsapp:+57\x00300"}))


def test_no_temporary_file_survives_a_clean_create(tmp_path):
    create_exclusive_json(tmp_path / "a.json", {})
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())


# --- what is kept of a message is capped, never refused ----------------------------------------


def test_a_long_profile_name_is_cut_to_200_characters_not_refused():
    """Twilio does not retry a 4xx: refusing the whole message for its name would lose it."""
    form = TwilioInboundForm.model_validate(
        {"MessageSid": "SM1", "From": USER, "Body": "hola", "ProfileName": "Ana " + "x" * 400}
    )
    inbound = form.to_inbound(received_at=NOW)
    assert inbound.text == "hola" and inbound.profile_name == "Ana " + "x" * 196


def test_a_message_keeps_only_its_first_2000_characters_whatever_path_built_it():
    long_text = "quiero info " + "a" * 5000
    via_form = TwilioInboundForm.model_validate({"MessageSid": "SM1", "From": USER, "Body": long_text})
    for inbound in (via_form.to_inbound(received_at=NOW), message(long_text)):
        assert inbound.text == long_text[:2000]

"""Inline TwiML (no database): tappable forms cannot go in TwiML, so lists and questions stay
numbered text, a tapped list item still works, and a voice note is declined politely."""

from tests.e2e.conftest import signed_post, twilio_params
from tests.e2e.test_webhook import messages_in


def test_a_course_list_is_numbered_text_and_a_tap_on_it_still_works(live_server):
    asked = "hola, soy contador y quiero aprender programación, ¿qué cursos tienen?"
    listed = messages_in(signed_post(live_server, twilio_params(
        asked, sid="SM-list", sender="whatsapp:+573001119901",
    )).body)  # fmt: skip
    text = "\n".join(listed)
    assert "*1. " in text and "*2. " in text and "<" not in text
    tapped = messages_in(signed_post(live_server, twilio_params(
        "Python desde Cero", sid="SM-tap", sender="whatsapp:+573001119901", MessageType="interactive",
        ListId="c7f5bfc6-05f2-57d1-b001-ff39f27a9932", ListTitle="Python desde Cero",
    )).body)  # fmt: skip
    assert "Python desde Cero" in "\n".join(tapped) and "Temario" in "\n".join(tapped)


def test_a_voice_note_gets_a_polite_request_to_write(live_server):
    result = signed_post(live_server, twilio_params(
        "", sid="SM-voice", sender="whatsapp:+573001119902", NumMedia="1", MessageType="audio",
        MediaContentType0="audio/ogg", MediaUrl0="https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
    ))  # fmt: skip
    assert result.status == 200
    assert "no puedo escucharlo" in "\n".join(messages_in(result.body))

"""`chat --json` shows the tappable form REST delivery would send, and takes taps, offline."""

import json
from pathlib import Path

from tests.e2e.test_cli_chat import run_chat


def test_chat_json_shows_the_list_picker_and_a_tap_answers_about_the_course(tmp_path: Path):
    first, tapped, enrolled = run_chat([
        "hola, soy contador y quiero aprender programación, ¿qué cursos tienen?",
        json.dumps({"text": "Python desde Cero", "tap": "c7f5bfc6-05f2-57d1-b001-ff39f27a9932"}),
        json.dumps({"text": "Quiero inscribirme", "tap": "next:enroll"}),
    ], tmp_path)  # fmt: skip
    picker = first["interactive"]
    assert picker["kind"] == "list-picker" and picker["button"] == "Ver cursos"
    assert [c["id"] for c in picker["choices"]] == first["courses"] and picker["body"] == first["parts"][-1]
    assert "*1. " in first["reply"]  # the text it stands beside, numbered as before
    assert tapped["courses"] == ["c7f5bfc6-05f2-57d1-b001-ff39f27a9932"]
    assert [c["id"] for c in tapped["interactive"]["choices"]] == ["next:enroll", "next:advisor", "next:more"]
    assert enrolled["intent"] == "BUYING_SIGNALS"
    assert [c["id"] for c in enrolled["interactive"]["choices"]] == ["contact:yes", "contact:no"]


def test_a_plain_answer_has_no_tappable_form(tmp_path: Path):
    [closing] = run_chat(["gracias, eso es todo"], tmp_path)
    assert closing["interactive"] is None

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_chat(lines: list[str], tmp_path: Path, *args: str) -> list[dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "DATABASE", "TWILIO"))}
    env.update({"DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(REPO)})
    completed = subprocess.run(
        [sys.executable, "-m", "app", "chat", "--json", *args],
        input="\n".join(lines) + "\n", capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    return [json.loads(line) for line in completed.stdout.splitlines()]


def test_every_line_gets_one_json_answer(tmp_path):
    lines = ["hola, me llamo Carolina", "quiero automatizar reportes de excel", "cuanto cuesta el primero?", ""]
    outputs = run_chat(lines, tmp_path)
    assert len(outputs) == len(lines)
    for output in outputs:
        assert {"reply", "intent", "confidence", "courses", "lead_score", "mode"} <= output.keys()
        assert output["mode"] == "basic"
    assert outputs[0]["intent"] == "GREETING"
    assert outputs[1]["courses"], "a course request must name the courses it shows"
    assert outputs[2]["courses"] == outputs[1]["courses"][:1]
    assert outputs[2]["lead_score"] >= outputs[0]["lead_score"]


def test_json_lines_set_the_sender_and_memory_is_per_user(tmp_path):
    lines = [
        json.dumps({"user": "whatsapp:+573000000001", "text": "hola soy Ana"}),
        json.dumps({"user": "whatsapp:+573000000002", "text": "hola soy Beto"}),
        json.dumps({"user": "whatsapp:+573000000001", "text": "hola de nuevo"}),
    ]
    outputs = run_chat(lines, tmp_path)
    assert [o["user"] for o in outputs] == [
        "whatsapp:+573000000001",
        "whatsapp:+573000000002",
        "whatsapp:+573000000001",
    ]
    assert "Ana" in outputs[2]["reply"]


def test_memory_survives_a_restart(tmp_path):
    run_chat(["hola, me llamo Carolina"], tmp_path, "--user", "whatsapp:+5491100000000")
    outputs = run_chat(["hola"], tmp_path, "--user", "whatsapp:+5491100000000")
    assert "Carolina" in outputs[0]["reply"]


@pytest.mark.parametrize("line", ['{"text": 5, "user": []}', "{no es json", "🤖" * 300])
def test_odd_lines_are_answered_not_fatal(tmp_path, line):
    outputs = run_chat([line], tmp_path)
    assert len(outputs) == 1 and outputs[0]["reply"]


def test_invalid_setting_stops_with_a_clear_message(tmp_path):
    env = {**os.environ, "DATABASE_URL": "mysql://nope", "PYTHONPATH": str(REPO)}
    completed = subprocess.run(
        [sys.executable, "-m", "app", "chat", "--json"],
        input="",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert completed.returncode == 2
    assert "DATABASE_URL" in completed.stderr


def test_a_whole_sales_conversation_in_basic_mode(tmp_path):
    lines = [
        "holaa buenas tardes",
        "me llamo Andrea, soy contadora",
        "q cursos tienen para automatizar reportes de excel??",
        "cuanto cuesta el primero",
        "uff esta muy caro",
        "quiero inscribirme",
        "si",
        "gracias",
        "no me escriban mas",
    ]
    out = run_chat(lines, tmp_path)
    intents = [o["intent"] for o in out]
    assert intents == ["GREETING", "GREETING", "AUTOMATION_NEED", "GENERAL_QUESTION", "PRICE_OBJECTION",
                       "BUYING_SIGNALS", "CONTACT_REQUEST", "OFF_TOPIC", "OPT_OUT"]  # fmt: skip
    excel_course = out[2]["courses"][0]
    assert "Excel" in out[2]["reply"].split("\n\n")[1], "the Excel reports course is recommended first"
    # The price asked, about the first course listed: a short answer naming it, not its card again.
    assert out[3]["courses"] == [excel_course] and " cuesta $" in out[3]["reply"] and "💰" not in out[3]["reply"]
    assert out[5]["courses"] == [excel_course], "enrolling is about the course the student asked about"
    assert "asesor" in out[6]["reply"] and out[6]["lead_score"] >= 80
    assert out[7]["reply"].startswith("¡Con gusto, Andrea!")
    assert out[8]["lead_score"] == 0 and "no te enviaremos más mensajes" in out[8]["reply"]

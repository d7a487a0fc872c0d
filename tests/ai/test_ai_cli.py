"""`python -m app chat --json` with OPENAI_API_KEY and OPENAI_BASE_URL pointing at the fake."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.ai.fake_openai import reply_from_courses, status

REPO = Path(__file__).resolve().parents[2]


def run_chat(lines, tmp_path, base_url, **env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "DATABASE", "TWILIO", "AI_"))}
    env.update(
        {
            "DATA_DIR": str(tmp_path / "data"),
            "PYTHONPATH": str(REPO),
            "OPENAI_API_KEY": "sk-test-fake",
            "OPENAI_BASE_URL": base_url,
            "OPENAI_TIMEOUT_SECONDS": "1",
            "AI_BUDGET_SECONDS": "2",
            **env_overrides,
        }
    )
    completed = subprocess.run(
        [sys.executable, "-m", "app", "chat", "--json"],
        input="\n".join(lines) + "\n", capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    return [json.loads(line) for line in completed.stdout.splitlines()], completed.stderr


def test_chat_json_reports_the_ai_state_and_what_each_message_cost(tmp_path, fake_openai):
    fake_openai.always(reply_from_courses())
    outputs, _ = run_chat(["python?", "dame de baja"], tmp_path, fake_openai.base_url)
    answered, opt_out = outputs
    assert opt_out["mode"] == "ai_only" and opt_out["ai"] == "on"
    assert not opt_out["ai_used"] and opt_out["usage"]["calls"] == 0, "an opt-out is never read by the model"
    assert answered["ai_used"] and answered["reply"].startswith("¡Buena idea!")
    assert answered["usage"]["calls"] == 1 and answered["usage"]["prompt_tokens"] > 0
    assert answered["courses"], "the course the AI reply names"


def test_chat_json_shows_the_degradation_and_still_answers(tmp_path, fake_openai):
    fake_openai.always(status(500))
    outputs, stderr = run_chat(["python?", "excel"], tmp_path, fake_openai.base_url)
    assert [o["ai"] for o in outputs] == ["degraded", "degraded"]
    assert all(o["reply"] and not o["ai_used"] for o in outputs)
    assert "AI degraded (server_error)" in stderr

"""The dialogue sets through the AI path on the scripted fake model, beside basic mode."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "eval_dialogues.py"
# The only turns the model never reads (app.application.ai_replies.AIPolicy.exemption);
# floods are stopped before a turn exists, so they never show here.
EXEMPTIONS = {"opt_out_keyword", "opted_out", "no_text"}


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "DATABASE", "TWILIO", "AI_"))}
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--fake-ai", "--json", "--set", "both"],
        capture_output=True, text=True, env=env, cwd=tmp_path_factory.mktemp("eval"), timeout=600,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout)


@pytest.mark.parametrize("dialogue_set", ["dev", "holdout"])
def test_the_model_reads_nine_turns_in_ten_and_the_rest_are_exempt_for_a_reason(figures, dialogue_set):
    ai = figures[dialogue_set]["ai"]
    assert ai["consulted_share"] >= 0.9
    assert set(ai["exempt"]) <= EXEMPTIONS
    assert ai["consulted"] + sum(ai["exempt"].values()) + ai["fallbacks"].get("suspected_injection", 0) == ai["turns"]


@pytest.mark.parametrize("dialogue_set", ["dev", "holdout"])
def test_ai_mode_scores_at_least_basic_mode_and_sends_no_invented_fact(figures, dialogue_set):
    basic, ai = figures[dialogue_set]["basic"], figures[dialogue_set]["ai"]
    assert ai["pass_rate"] >= basic["pass_rate"]
    assert ai["content_pass_rate"] >= basic["content_pass_rate"]
    assert ai["model_replies_sent_share"] > 0.3, "the model's replies do go out"
    assert ai["fallbacks"].get("ungrounded", 0) > 0, "the fake invented facts, and they were caught"
    assert ai["invented_facts_sent"] == 0 and ai["off_language_sent"] == 0
    assert 0 < ai["prompt_tokens_per_turn"] <= 1500

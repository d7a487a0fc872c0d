"""The evaluation script, run against the fake as CI does."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "eval_conversations.py"
CONVERSATIONS = REPO / "tests" / "data" / "conversations.jsonl"


def test_the_conversation_set_is_realistic_and_labelled():
    from app.domain.intents import Intent

    conversations = [json.loads(line) for line in CONVERSATIONS.read_text(encoding="utf-8").splitlines() if line]
    assert len(conversations) >= 12
    assert all(len(c["turns"]) >= 2 for c in conversations)
    labels = {turn["intent"] for c in conversations for turn in c["turns"]}
    assert labels <= {i.value for i in Intent} and len(labels) == len(Intent), "every intent is exercised"


def test_the_evaluation_runs_against_the_fake_and_meets_the_budgets(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "DATABASE", "TWILIO", "AI_"))}
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--fake", "--check", "--json", "--hallucinate-every", "2"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    summary = json.loads(completed.stdout)
    assert summary["conversations"] >= 12
    assert summary["hallucinations_injected"] > 0 and summary["hallucinations_sent"] == 0
    assert summary["grounding_violations_caught"] == summary["hallucinations_injected"]
    assert 0 < summary["calls_per_message"] <= 1
    assert 0 < summary["prompt_tokens_per_message"] <= 1500
    assert summary["prompt_tokens_per_call_max"] <= 1500
    assert summary["ai_replies_sent"] > 0
    assert summary["intent_agreement"] >= summary["intent_agreement_rules_only"]
    assert summary["latency_ms_p95"] < 10_000

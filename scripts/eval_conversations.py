"""Run realistic multi-turn conversations through the AI pipeline and measure it.

Usage (from the repository root):
    .venv/bin/python scripts/eval_conversations.py                  # the local fake model
    OPENAI_API_KEY=... [OPENAI_BASE_URL=...] [OPENAI_MODEL=...] \\
        .venv/bin/python scripts/eval_conversations.py --endpoint   # a real OpenAI-compatible endpoint
    .venv/bin/python scripts/eval_conversations.py --check          # exit 1 when a budget is broken

Each line of the conversations file is {"id", "persona", "turns": [{"text", "intent"}]}.
Every conversation is one student, sent turn by turn through the same container the
webhook uses (rules, catalogue, templates, OpenAI adapter, circuit breaker). Prints intent
agreement (against the rules alone as a baseline), grounding violations caught, AI calls
and tokens per message, and latency.

Against the fake, the "model" trusts the rules' guess and writes short replies from the
courses in its prompt, and every --hallucinate-every-th reply carries an invented fact: the
numbers measure the plumbing (calls, tokens as estimated by the fake, what is caught), not a
model's quality. Against a real endpoint they measure the model too.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    # Running as a plain script puts scripts/ on the path, not the repository root.
    sys.path.insert(0, str(REPO_ROOT))

from app.bootstrap.container import Container  # noqa: E402
from app.bootstrap.mode import build_container  # noqa: E402
from app.config import Settings  # noqa: E402
from app.domain.intent_rules import RuleIntentClassifier  # noqa: E402
from app.domain.messages import InboundMessage, Reply  # noqa: E402

DEFAULT_CONVERSATIONS = REPO_ROOT / "tests" / "data" / "conversations.jsonl"
MAX_CALLS_PER_MESSAGE = 1.0
MAX_PROMPT_TOKENS_PER_MESSAGE = 1_500


@dataclass(frozen=True)
class Turn:
    text: str
    intent: str


@dataclass(frozen=True)
class Conversation:
    id: str
    turns: tuple[Turn, ...]


@dataclass
class Result:
    """What one message produced."""

    conversation: str
    text: str
    expected: str
    got: str
    rules: str
    ai_used: bool
    calls: int
    prompt_tokens: int
    completion_tokens: int
    latency: float
    reply: str


@dataclass
class Report:
    target: str
    results: list[Result] = field(default_factory=list)
    grounding_rejections: int = 0
    fallbacks: dict[str, int] = field(default_factory=dict)
    injected: list[str] = field(default_factory=list)
    sent_hallucinations: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        messages = len(self.results) or 1
        consulted = [r for r in self.results if r.calls]
        latencies = sorted(r.latency for r in self.results)
        ai_latencies = sorted(r.latency for r in consulted)
        return {
            "target": self.target,
            "conversations": len({r.conversation for r in self.results}),
            "messages": len(self.results),
            "intent_agreement": round(sum(r.got == r.expected for r in self.results) / messages, 3),
            "intent_agreement_rules_only": round(sum(r.rules == r.expected for r in self.results) / messages, 3),
            "ai_replies_sent": sum(r.ai_used for r in self.results),
            "messages_with_ai_calls": len(consulted),
            "calls_per_message": round(sum(r.calls for r in self.results) / messages, 3),
            "prompt_tokens_per_message": round(sum(r.prompt_tokens for r in self.results) / messages, 1),
            "completion_tokens_per_message": round(sum(r.completion_tokens for r in self.results) / messages, 1),
            "prompt_tokens_per_call_max": max((r.prompt_tokens // max(1, r.calls) for r in consulted), default=0),
            "grounding_violations_caught": self.grounding_rejections,
            "hallucinations_injected": len(self.injected),
            "hallucinations_sent": len(self.sent_hallucinations),
            "fallbacks": dict(sorted(self.fallbacks.items())),
            "latency_ms_p50": _ms(_percentile(latencies, 50)),
            "latency_ms_p95": _ms(_percentile(latencies, 95)),
            "latency_ms_p50_ai_messages": _ms(_percentile(ai_latencies, 50)),
            "latency_ms_p95_ai_messages": _ms(_percentile(ai_latencies, 95)),
        }

    def budget_problems(self) -> list[str]:
        summary = self.summary()
        problems = []
        if float(summary["calls_per_message"]) > MAX_CALLS_PER_MESSAGE:  # type: ignore[arg-type]
            problems.append(f"calls per message {summary['calls_per_message']} > {MAX_CALLS_PER_MESSAGE}")
        if float(summary["prompt_tokens_per_message"]) > MAX_PROMPT_TOKENS_PER_MESSAGE:  # type: ignore[arg-type]
            problems.append(f"prompt tokens per message {summary['prompt_tokens_per_message']} > 1500")
        if self.sent_hallucinations:
            problems.append(f"{len(self.sent_hallucinations)} invented facts reached a student")
        return problems


def load_conversations(path: Path) -> list[Conversation]:
    conversations = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            turns = tuple(Turn(text=t["text"], intent=t["intent"]) for t in raw["turns"])
            conversations.append(Conversation(id=raw["id"], turns=turns))
    return conversations


def run(container: Container, conversations: list[Conversation], target: str) -> Report:
    report = Report(target=target)
    rules = RuleIntentClassifier()
    for conversation in conversations:
        user = f"whatsapp:+eval-{conversation.id}-{uuid.uuid4().hex[:6]}"
        for turn in conversation.turns:
            message = InboundMessage(
                message_id=f"SM{uuid.uuid4().hex}", user_id=user, text=turn.text, received_at=datetime.now(UTC)
            )
            started = time.perf_counter()
            reply = container.handle_message(message, timeout=30)
            report.results.append(_result(conversation.id, turn, reply, rules, time.perf_counter() - started))
    totals = container.health().ai_usage
    if totals is not None:
        report.grounding_rejections = totals.grounding_rejections
        report.fallbacks = dict(totals.fallbacks)
    return report


def _result(conversation: str, turn: Turn, reply: Reply, rules: RuleIntentClassifier, latency: float) -> Result:
    return Result(
        conversation=conversation,
        text=turn.text,
        expected=turn.intent,
        got=reply.intent.value,
        rules=rules.classify(turn.text).intent.value,
        ai_used=reply.ai_used,
        calls=reply.ai_usage.calls,
        prompt_tokens=reply.ai_usage.prompt_tokens,
        completion_tokens=reply.ai_usage.completion_tokens,
        latency=latency,
        reply=reply.text,
    )


def run_against_fake(conversations: list[Conversation], hallucinate_every: int, data_dir: Path) -> Report:
    from tests.ai.fake_openai import FakeOpenAI, ScriptedModel

    model = ScriptedModel(hallucinate_every=hallucinate_every)
    fake = FakeOpenAI().start()
    fake.always(model)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=data_dir, openai_api_key="sk-fake", openai_base_url=fake.base_url,
        openai_model="fake-scripted-model",
    )  # fmt: skip
    container = build_container(settings)
    try:
        report = run(container, conversations, target=f"local fake ({fake.base_url}), scripted model")
    finally:
        container.close()
        fake.close()
    report.injected = list(model.injected)
    sent = [r.reply for r in report.results]
    report.sent_hallucinations = [marker for marker in model.injected if any(marker in reply for reply in sent)]
    return report


def run_against_endpoint(conversations: list[Conversation], data_dir: Path) -> Report:
    settings = Settings(data_dir=data_dir)  # OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL from the environment
    if settings.openai_api_key is None:
        raise SystemExit("--endpoint needs OPENAI_API_KEY (and OPENAI_BASE_URL for a non-OpenAI server)")
    container = build_container(settings)
    try:
        target = f"{settings.openai_base_url or 'https://api.openai.com/v1'} model {settings.openai_model}"
        return run(container, conversations, target=target)
    finally:
        container.close()


def print_report(report: Report, *, show_messages: bool) -> None:
    summary = report.summary()
    print(f"AI conversation evaluation — {summary['target']}")
    print(f"  conversations / messages       {summary['conversations']} / {summary['messages']}")
    print(
        f"  intent agreement               {summary['intent_agreement']:.1%} "
        f"(rules alone: {summary['intent_agreement_rules_only']:.1%})"
    )
    print(f"  messages that called the AI    {summary['messages_with_ai_calls']}")
    print(f"  AI replies sent                {summary['ai_replies_sent']}")
    print(f"  grounding violations caught    {summary['grounding_violations_caught']}")
    if report.injected:
        injected, sent = summary["hallucinations_injected"], summary["hallucinations_sent"]
        print(f"  invented facts injected / sent {injected} / {sent}")
    print(f"  fallbacks by reason            {summary['fallbacks'] or '-'}")
    print(f"  calls per message              {summary['calls_per_message']}")
    print(f"  prompt tokens per message      {summary['prompt_tokens_per_message']}")
    print(f"  completion tokens per message  {summary['completion_tokens_per_message']}")
    print(f"  prompt tokens per call (max)   {summary['prompt_tokens_per_call_max']}")
    print(f"  latency p50 / p95 (all)        {summary['latency_ms_p50']} / {summary['latency_ms_p95']} ms")
    print(
        f"  latency p50 / p95 (AI calls)   {summary['latency_ms_p50_ai_messages']} / "
        f"{summary['latency_ms_p95_ai_messages']} ms"
    )
    if show_messages:
        print("\n  mismatches (expected -> got):")
        for r in report.results:
            if r.got != r.expected:
                print(f"    [{r.conversation}] {r.text!r}: {r.expected} -> {r.got} (rules: {r.rules})")


def _percentile(values: list[float], pct: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=Path, default=DEFAULT_CONVERSATIONS)
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--fake", action="store_true", help="the local fake model (default without OPENAI_API_KEY)")
    target.add_argument("--endpoint", action="store_true", help="the endpoint in OPENAI_API_KEY/OPENAI_BASE_URL")
    parser.add_argument("--hallucinate-every", type=int, default=3, help="fake only: every Nth AI reply invents")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--show-mismatches", action="store_true")
    parser.add_argument("--check", action="store_true", help="exit 1 when a budget or a grounding check fails")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)

    conversations = load_conversations(args.conversations)
    use_endpoint = args.endpoint or (not args.fake and bool(os.environ.get("OPENAI_API_KEY")))
    with tempfile.TemporaryDirectory(prefix="eval-conversations-") as data_dir:
        if use_endpoint:
            report = run_against_endpoint(conversations, Path(data_dir))
        else:
            report = run_against_fake(conversations, args.hallucinate_every, Path(data_dir))
    if args.json:
        print(json.dumps(report.summary(), ensure_ascii=False, indent=2))
    else:
        print_report(report, show_messages=args.show_mismatches)
    problems = report.budget_problems()
    for problem in problems:
        print(f"BUDGET: {problem}", file=sys.stderr)
    return 1 if args.check and problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
